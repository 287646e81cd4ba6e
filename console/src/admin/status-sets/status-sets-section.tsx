import { Badge, Button, Group, Paper, Stack } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data } from "../../api/client";
import { catalogQueries } from "../../api/catalog";
import { FRESH } from "../admin-api";
import type { StatusSet } from "../admin-types";
import { ConfirmDelete } from "../confirm-delete";
import { ItemName } from "../item-name";
import { LoadStates } from "../load-states";
import { RowActions } from "../row-actions";
import { useRowDialog } from "../row-dialog";
import { PageHeading } from "../../ui/page-heading";
import { StatusSetForm } from "./status-set-form";

export default function StatusSetsSection() {
  const queryClient = useQueryClient();
  const sets = useQuery({ ...catalogQueries.statusSets, ...FRESH });
  const refresh = () => void queryClient.invalidateQueries();
  const editing = useRowDialog<StatusSet | "new">(refresh);
  const deleting = useRowDialog<StatusSet>(refresh);
  const toDelete = deleting.target;

  return (
    <Stack gap="md">
      <PageHeading
        title="Status sets"
        description="Ordered lists of statuses; a category names the set its assets use."
        action={<Button onClick={() => editing.open("new")}>New status set</Button>}
      />
      <LoadStates query={sets} empty={sets.data?.length === 0 ? "No status sets yet." : null} />
      <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: "none" }} aria-label="Status sets">
        {sets.data?.map((set) => (
          <Paper component="li" key={set.id} withBorder p="sm" aria-label={set.name}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={6}>
                <ItemName name={set.name} id={set.id} />
                <Group gap={4} component="ol" m={0} p={0} style={{ listStyle: "none" }} aria-label={`Statuses of ${set.name}`}>
                  {set.statuses.map((status, index) => (
                    <Badge component="li" key={status.id} variant="light" tt="none">
                      {index + 1}. {status.name}
                    </Badge>
                  ))}
                </Group>
              </Stack>
              <RowActions name={set.name} onEdit={() => editing.open(set)} onDelete={() => deleting.open(set)} />
            </Group>
          </Paper>
        ))}
      </Stack>
      {editing.target ? <StatusSetForm set={editing.target === "new" ? null : editing.target} onClose={editing.close} onSaved={editing.done} /> : null}
      {toDelete ? (
        <ConfirmDelete
          title={`Delete the status set “${toDelete.name}”?`}
          onClose={deleting.close}
          onDelete={() => data(api.DELETE("/api/v4/status-sets/{status_set_id}", { params: { path: { status_set_id: toDelete.id } } }))}
          onDone={deleting.done}
        >
          A set that a category names cannot be deleted: give the category another set first.
        </ConfirmDelete>
      ) : null}
    </Stack>
  );
}
