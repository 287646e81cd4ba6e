import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, data } from "../api/client";
import { startSession } from "../api/session";
import { ErrorAlert } from "../ui/error-alert";

export function LoginPage({ reason }: { reason: string | null }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const login = useMutation({
    mutationFn: () => data(api.POST("/api/v4/auth/token", { body: { username, password } })),
    onSuccess: (session) => startSession(session.token),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!login.isPending) login.mutate();
  };

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <form onSubmit={submit} aria-labelledby="login-title">
          <Stack>
            <div>
              <Title order={1} size="h2" id="login-title">
                Assetport
              </Title>
              <Text c="dimmed" size="sm">
                Log in to import and follow your asset inventory.
              </Text>
            </div>
            {reason && !login.isError ? (
              <Alert color="yellow" role="status">
                {reason}
              </Alert>
            ) : null}
            {login.isError ? <ErrorAlert title="Login failed" error={login.error} /> : null}
            <TextInput label="Username" name="username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
            <PasswordInput label="Password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={login.isPending}>
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
