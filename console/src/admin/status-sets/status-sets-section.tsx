import { Badge, Button, Group, Paper, Skeleton, Stack, Text } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import { adminKeys, listStatusSets } from "../admin-api";
import { AdminError } from "../admin-error";
import type { StatusSet } from "../admin-types";
import { ConfirmDelete } from "../confirm-delete";
import { SectionHeading } from "../section-heading";
import { StatusSetForm } from "./status-set-form";

export default function StatusSetsSection() {
  const queryClient = useQueryClient();
  const sets = useQuery({ queryKey: adminKeys.statusSets, queryFn: listStatusSets });
  const [editing, setEditing] = useState<StatusSet | "new" | null>(null);
  const [deleting, setDeleting] = useState<StatusSet | null>(null);
  const refresh = () => void queryClient.invalidateQueries();

  return (
    <Stack gap="md">
      <SectionHeading
        title="Status sets"
        description="Ordered lists of statuses; a category names the set its assets use."
        action={<Button onClick={() => setEditing("new")}>New status set</Button>}
      />
      {sets.isError ? <AdminError error={sets.error} onRetry={() => void sets.refetch()} /> : null}
      {sets.isPending ? <Skeleton h={160} /> : null}
      {sets.data?.length === 0 ? <Text c="dimmed">No status sets yet.</Text> : null}
      <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: "none" }} aria-label="Status sets">
        {sets.data?.map((set) => (
          <Paper component="li" key={set.id} withBorder p="sm" aria-label={set.name}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={6}>
                <Text fw={600}>
                  {set.name}{" "}
                  <Text span size="sm" c="dimmed">
                    {set.id}
                  </Text>
                </Text>
                <Group gap={4} component="ol" m={0} p={0} style={{ listStyle: "none" }} aria-label={`Statuses of ${set.name}`}>
                  {set.statuses.map((status, index) => (
                    <Badge component="li" key={status.id} variant="light" tt="none">
                      {index + 1}. {status.name}
                    </Badge>
                  ))}
                </Group>
              </Stack>
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" variant="default" onClick={() => setEditing(set)} aria-label={`Edit ${set.name}`}>
                  Edit
                </Button>
                <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(set)} aria-label={`Delete ${set.name}`}>
                  Delete
                </Button>
              </Group>
            </Group>
          </Paper>
        ))}
      </Stack>
      {editing ? (
        <StatusSetForm
          set={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            refresh();
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDelete
          title={`Delete the status set “${deleting.name}”?`}
          onClose={() => setDeleting(null)}
          onDelete={() => data(api.DELETE("/api/v4/status-sets/{status_set_id}", { params: { path: { status_set_id: deleting.id } } }))}
          onDone={() => {
            setDeleting(null);
            refresh();
          }}
        >
          A set that a category names cannot be deleted: give the category another set first.
        </ConfirmDelete>
      ) : null}
    </Stack>
  );
}
