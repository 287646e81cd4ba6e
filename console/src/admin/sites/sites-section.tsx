import { Button, Group, Skeleton, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import { formatTime } from "../../ui/format";
import { adminKeys, listSites } from "../admin-api";
import { AdminError } from "../admin-error";
import type { Site } from "../admin-types";
import { ConfirmDelete } from "../confirm-delete";
import { SectionHeading } from "../section-heading";
import { SiteForm } from "./site-form";

export default function SitesSection() {
  const queryClient = useQueryClient();
  const sites = useQuery({ queryKey: adminKeys.sites, queryFn: listSites });
  const [editing, setEditing] = useState<Site | "new" | null>(null);
  const [deleting, setDeleting] = useState<Site | null>(null);
  const refresh = () => void queryClient.invalidateQueries();

  return (
    <Stack gap="md">
      <SectionHeading title="Sites" description="Where assets are." action={<Button onClick={() => setEditing("new")}>New site</Button>} />
      {sites.isError ? <AdminError error={sites.error} onRetry={() => void sites.refetch()} /> : null}
      {sites.isPending ? <Skeleton h={160} /> : null}
      {sites.data?.length === 0 ? <Text c="dimmed">No sites yet.</Text> : null}
      {sites.data && sites.data.length > 0 ? (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" aria-label="Sites">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>ID</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Changed</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sites.data.map((site) => (
                <Table.Tr key={site.id}>
                  <Table.Td fw={600}>{site.name}</Table.Td>
                  <Table.Td>{site.id}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {site.description || "–"}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatTime(site.updated_at)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(site)} aria-label={`Edit ${site.name}`}>
                        Edit
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(site)} aria-label={`Delete ${site.name}`}>
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {editing ? (
        <SiteForm
          site={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            refresh();
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDelete
          title={`Delete the site “${deleting.name}”?`}
          onClose={() => setDeleting(null)}
          onDelete={() => data(api.DELETE("/api/v4/sites/{site_id}", { params: { path: { site_id: deleting.id } } }))}
          onDone={() => {
            setDeleting(null);
            refresh();
          }}
        >
          A site that assets are at (deleted assets included, as they may be restored) cannot be deleted: move them to another site first.
        </ConfirmDelete>
      ) : null}
    </Stack>
  );
}
