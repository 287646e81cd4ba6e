import { Button, Stack, Table, Text } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data } from "../../api/client";
import { formatTime } from "../../ui/format";
import { catalogQueries } from "../../api/catalog";
import { FRESH } from "../admin-api";
import { AdminTable } from "../admin-table";
import type { Site } from "../admin-types";
import { ConfirmDelete } from "../confirm-delete";
import { LoadStates } from "../load-states";
import { RowActions } from "../row-actions";
import { useRowDialog } from "../row-dialog";
import { PageHeading } from "../../ui/page-heading";
import { SiteForm } from "./site-form";

export default function SitesSection() {
  const queryClient = useQueryClient();
  const sites = useQuery({ ...catalogQueries.sites, ...FRESH });
  const refresh = () => void queryClient.invalidateQueries();
  const editing = useRowDialog<Site | "new">(refresh);
  const deleting = useRowDialog<Site>(refresh);
  const toDelete = deleting.target;

  return (
    <Stack gap="md">
      <PageHeading title="Sites" description="Where assets are." action={<Button onClick={() => editing.open("new")}>New site</Button>} />
      <LoadStates query={sites} empty={sites.data?.length === 0 ? "No sites yet." : null} />
      {sites.data && sites.data.length > 0 ? (
        <AdminTable label="Sites" columns={["Name", "ID", "Description", "Changed"]} actions minWidth={640}>
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
                <RowActions name={site.name} onEdit={() => editing.open(site)} onDelete={() => deleting.open(site)} justify="flex-end" />
              </Table.Td>
            </Table.Tr>
          ))}
        </AdminTable>
      ) : null}
      {editing.target ? <SiteForm site={editing.target === "new" ? null : editing.target} onClose={editing.close} onSaved={editing.done} /> : null}
      {toDelete ? (
        <ConfirmDelete
          title={`Delete the site “${toDelete.name}”?`}
          onClose={deleting.close}
          onDelete={() => data(api.DELETE("/api/v4/sites/{site_id}", { params: { path: { site_id: toDelete.id } } }))}
          onDone={deleting.done}
        >
          A site that assets are at (deleted assets included, as they may be restored) cannot be deleted: move them to another site first.
        </ConfirmDelete>
      ) : null}
    </Stack>
  );
}
