import { Badge, Button, Pagination, Skeleton, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import { formatTime } from "../../ui/format";
import { adminKeys } from "../admin-api";
import { AdminError } from "../admin-error";
import type { ApiKey, CreatedApiKey } from "../admin-types";
import { ConfirmDelete } from "../confirm-delete";
import { SectionHeading } from "../section-heading";
import { ApiKeySecret, NewApiKeyForm } from "./api-key-form";

const PAGE_SIZE = 50;

export default function ApiKeysSection() {
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [deleting, setDeleting] = useState<ApiKey | null>(null);
  const keys = useQuery({
    queryKey: [...adminKeys.apiKeys, page],
    queryFn: () => data(api.GET("/api/v4/api-keys", { params: { query: { page, limit: PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["admin"] });

  return (
    <Stack gap="md">
      <SectionHeading title="API keys" description="Keys let scripts call the API as their creator, with at most their role." action={<Button onClick={() => setCreating(true)}>New API key</Button>} />
      {keys.isError ? <AdminError error={keys.error} onRetry={() => void keys.refetch()} /> : null}
      {keys.isPending ? <Skeleton h={160} /> : null}
      {keys.data?.total_count === 0 ? <Text c="dimmed">No API keys yet.</Text> : null}
      {keys.data && keys.data.total_count > 0 ? (
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" aria-label="API keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Prefix</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
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
                    <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(key)} aria-label={`Delete ${key.name}`}>
                      Delete
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {keys.data && keys.data.total_pages > 1 ? <Pagination total={keys.data.total_pages} value={page} onChange={setPage} /> : null}
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
      {deleting ? (
        <ConfirmDelete
          title={`Delete the API key “${deleting.name}”?`}
          onClose={() => setDeleting(null)}
          onDelete={() => data(api.DELETE("/api/v4/api-keys/{key_id}", { params: { path: { key_id: deleting.id } } }))}
          onDone={() => {
            setDeleting(null);
            refresh();
          }}
        >
          Whatever uses it stops working at once.
        </ConfirmDelete>
      ) : null}
    </Stack>
  );
}
