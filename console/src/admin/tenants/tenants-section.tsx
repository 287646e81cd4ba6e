import { Button, PasswordInput, Stack, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import { formatTime } from "../../ui/format";
import { adminKeys } from "../admin-api";
import { AdminTable } from "../admin-table";
import { FormDialog } from "../form-dialog";
import { LoadStates } from "../load-states";
import { NameAndIdInputs, useNameAndId } from "../name-and-id";
import { PAGE_SIZE, PageLinks, usePagedQuery } from "../paged-query";
import { PageHeading } from "../../ui/page-heading";

export default function TenantsSection() {
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const { query: tenants, page, setPage } = usePagedQuery(adminKeys.tenants, (page) => data(api.GET("/api/v4/tenants", { params: { query: { page, limit: PAGE_SIZE } } })));
  return (
    <Stack gap="md">
      <PageHeading title="Tenants" description="System administrators only: each tenant's data is invisible to the others." action={<Button onClick={() => setCreating(true)}>New tenant</Button>} />
      <LoadStates query={tenants} />
      {tenants.data ? (
        <AdminTable label="Tenants" columns={["Name", "Slug", "Created"]} minWidth={420}>
          {tenants.data.collection.map((tenant) => (
            <Table.Tr key={tenant.id}>
              <Table.Td fw={600}>{tenant.name}</Table.Td>
              <Table.Td>{tenant.slug}</Table.Td>
              <Table.Td>{formatTime(tenant.created_at)}</Table.Td>
            </Table.Tr>
          ))}
        </AdminTable>
      ) : null}
      <PageLinks data={tenants.data} page={page} onChange={setPage} />
      {creating ? (
        <NewTenantForm
          onClose={() => setCreating(false)}
          onSaved={() => {
            setCreating(false);
            void queryClient.invalidateQueries({ queryKey: adminKeys.tenants });
          }}
        />
      ) : null}
    </Stack>
  );
}

function NewTenantForm({ onSaved, onClose }: { onSaved: () => void; onClose: () => void }) {
  const named = useNameAndId("", "", false);
  const { name, id: slug } = named;
  const [username, setUsername] = useState("");
  const [fullName, setFullName] = useState("");
  const [password, setPassword] = useState("");
  const save = useMutation({
    mutationFn: () => data(api.POST("/api/v4/tenants", { body: { name, slug, admin: { username, password, full_name: fullName } } })),
    onSuccess: onSaved,
  });
  return (
    <FormDialog onClose={onClose} title="New tenant" save={save} submitLabel="Create tenant">
      <NameAndIdInputs value={named} idLabel="Slug" idDescription="Lowercase letters, digits and inner hyphens; unique" />
      <Text size="sm" fw={500}>
        Its first administrator
      </Text>
      <TextInput label="Username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} required />
      <TextInput label="Full name" value={fullName} onChange={(e) => setFullName(e.currentTarget.value)} />
      <PasswordInput label="Password" description="8 characters or more" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required autoComplete="new-password" />
    </FormDialog>
  );
}
