import { Badge, Button, Group, Select, Skeleton, Stack, Table, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import { useCurrentUser } from "../../app/use-session";
import { formatTime } from "../../ui/format";
import { adminKeys } from "../admin-api";
import { AdminTable } from "../admin-table";
import { AdminError } from "../admin-error";
import type { User } from "../admin-types";
import { PAGE_SIZE, PageLinks, usePagedQuery } from "../paged-query";
import { PageHeading } from "../../ui/page-heading";
import { ROLE_OPTIONS, type Role } from "./role-select";
import { NewUserForm, ResetPasswordForm } from "./user-form";

type Change = { role?: Role; disabled?: boolean };

export default function UsersSection() {
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { query: users, page, setPage } = usePagedQuery(adminKeys.users, (page) => data(api.GET("/api/v4/users", { params: { query: { page, limit: PAGE_SIZE } } })));
  // The signed-in user's own answer too: an admin who changes their own role sees at once what it allows.
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["admin"] });
    void queryClient.invalidateQueries({ queryKey: ["me"] });
  };
  const update = useMutation({
    mutationFn: ({ user, change }: { user: User; change: Change }) => data(api.PATCH("/api/v4/users/{user_id}", { params: { path: { user_id: user.id } }, body: change })),
    onMutate: () => setNotice(null),
    onSuccess: refresh,
  });

  return (
    <Stack gap="md">
      <PageHeading title="Users" description="The people of this tenant and what their role lets them do." action={<Button onClick={() => setCreating(true)}>New user</Button>} />
      {users.isError ? <AdminError error={users.error} onRetry={() => void users.refetch()} /> : null}
      {update.isError ? <AdminError error={update.error} /> : null}
      {notice ? (
        <Text size="sm" role="status">
          {notice}
        </Text>
      ) : null}
      {users.isPending ? <Skeleton h={200} /> : null}
      {users.data ? (
        <AdminTable label="Users" columns={["Username", "Full name", "Role", "State", "Last login"]} actions minWidth={860}>
          {users.data.collection.map((user) => {
            const pending = update.isPending && update.variables.user.id === user.id;
            return (
              <Table.Tr key={user.id}>
                <Table.Td fw={600}>
                  {user.username}
                  {user.id === me.data?.id ? (
                    <Text span size="xs" c="dimmed" ml={6}>
                      (you)
                    </Text>
                  ) : null}
                  {user.system_admin ? (
                    <Badge ml={6} size="xs" variant="outline" tt="none">
                      system admin
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>{user.full_name || "–"}</Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Role of ${user.username}`}
                    data={ROLE_OPTIONS}
                    value={user.role}
                    onChange={(value) => value && value !== user.role && update.mutate({ user, change: { role: value as Change["role"] } })}
                    allowDeselect={false}
                    disabled={pending}
                    size="xs"
                    w={110}
                  />
                </Table.Td>
                <Table.Td>
                  <Badge color={user.disabled ? "gray" : "green"} variant="light">
                    {user.disabled ? "Disabled" : "Active"}
                  </Badge>
                </Table.Td>
                <Table.Td>{user.last_login_at ? formatTime(user.last_login_at) : "Never"}</Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="default"
                      loading={pending && update.variables.change.disabled !== undefined}
                      onClick={() => update.mutate({ user, change: { disabled: !user.disabled } })}
                      // Disabling oneself would end this session at once; another admin does it.
                      disabled={user.id === me.data?.id}
                      aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.username}`}
                    >
                      {user.disabled ? "Enable" : "Disable"}
                    </Button>
                    <Button size="xs" variant="subtle" onClick={() => setResetting(user)} aria-label={`Reset the password of ${user.username}`}>
                      Reset password
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </AdminTable>
      ) : null}
      <PageLinks data={users.data} page={page} onChange={setPage} />
      {creating ? (
        <NewUserForm
          onClose={() => setCreating(false)}
          onSaved={() => {
            setCreating(false);
            refresh();
          }}
        />
      ) : null}
      {resetting ? (
        <ResetPasswordForm
          userId={resetting.id}
          username={resetting.username}
          onClose={() => setResetting(null)}
          onSaved={() => {
            setNotice(`The password of ${resetting.username} is set; their sessions ended and their API keys were deleted.`);
            setResetting(null);
            refresh();
          }}
        />
      ) : null}
    </Stack>
  );
}
