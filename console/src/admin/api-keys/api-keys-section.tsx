import { Badge, Button, Stack, Table, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import { formatTime } from "../../ui/format";
import { adminKeys } from "../admin-api";
import { AdminTable } from "../admin-table";
import type { ApiKey, CreatedApiKey } from "../admin-types";
import { ConfirmDelete } from "../confirm-delete";
import { LoadStates } from "../load-states";
import { PAGE_SIZE, PageLinks, usePagedQuery } from "../paged-query";
import { useRowDialog } from "../row-dialog";
import { PageHeading } from "../../ui/page-heading";
import { ApiKeySecret, NewApiKeyForm } from "./api-key-form";

export default function ApiKeysSection() {
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const { query: keys, page, setPage } = usePagedQuery(adminKeys.apiKeys, (page) => data(api.GET("/api/v4/api-keys", { params: { query: { page, limit: PAGE_SIZE } } })));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["admin"] });
  const deleting = useRowDialog<ApiKey>(refresh);
  const toDelete = deleting.target;

  return (
    <Stack gap="md">
      <PageHeading title="API keys" description="Keys let scripts call the API as their creator, with at most their role." action={<Button onClick={() => setCreating(true)}>New API key</Button>} />
      <LoadStates query={keys} empty={keys.data?.total_count === 0 ? "No API keys yet." : null} />
      {keys.data && keys.data.total_count > 0 ? (
        <AdminTable label="API keys" columns={["Name", "Prefix", "Role", "Owner", "Created", "Expires", "Last used"]} actions minWidth={900}>
          {keys.data.collection.map((key) => (
            <Table.Tr key={key.id} aria-label={key.name}>
              <Table.Td fw={600}>{key.name}</Table.Td>
              <Table.Td>
                <Text span ff="monospace" size="sm">
                  {key.prefix}…
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="outline">{key.role}</Badge>
              </Table.Td>
              <Table.Td>{key.created_by}</Table.Td>
              <Table.Td>{formatTime(key.created_at)}</Table.Td>
              <Table.Td>{key.expires_at ? formatTime(key.expires_at) : "Never"}</Table.Td>
              <Table.Td data-column="last-used">{key.last_used_at ? formatTime(key.last_used_at) : "Never"}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="subtle" color="red" onClick={() => deleting.open(key)} aria-label={`Delete ${key.name}`}>
                  Delete
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </AdminTable>
      ) : null}
      <PageLinks data={keys.data} page={page} onChange={setPage} />
      {creating ? (
        <NewApiKeyForm
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            refresh();
          }}
        />
      ) : null}
      {created ? <ApiKeySecret created={created} onClose={() => setCreated(null)} /> : null}
      {toDelete ? (
        <ConfirmDelete
          title={`Delete the API key “${toDelete.name}”?`}
          onClose={deleting.close}
          onDelete={() => data(api.DELETE("/api/v4/api-keys/{key_id}", { params: { path: { key_id: toDelete.id } } }))}
          onDone={deleting.done}
        >
          Whatever uses it stops working at once.
        </ConfirmDelete>
      ) : null}
    </Stack>
  );
}
