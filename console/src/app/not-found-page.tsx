import { Alert, Anchor, Stack, Title } from "@mantine/core";
import { Link } from "wouter";

export function NotFoundPage() {
  return (
    <Stack maw={600}>
      <Title order={1} size="h2">
        Page not found
      </Title>
      <Alert color="gray">
        There is no such page in the console.{" "}
        <Anchor component={Link} href="/imports">
          Go to the imports
        </Anchor>
        .
      </Alert>
    </Stack>
  );
}
