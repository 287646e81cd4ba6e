import { Badge, Button, Group, Loader, Stack, Switch, Table, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data } from "../../api/client";
import { catalogQueries } from "../../api/catalog";
import { FRESH } from "../admin-api";
import { AdminTable } from "../admin-table";
import { AdminError } from "../admin-error";
import type { Field } from "../admin-types";
import { ConfirmDelete } from "../confirm-delete";
import { LoadStates } from "../load-states";
import { RowActions } from "../row-actions";
import { useRowDialog } from "../row-dialog";
import { PageHeading } from "../../ui/page-heading";
import { FieldForm } from "./field-form";
import { typeLabel } from "./field-types";

export default function FieldsSection() {
  const queryClient = useQueryClient();
  const fields = useQuery({ ...catalogQueries.customFields, ...FRESH });
  // Other screens (the asset list's columns, the categories) read the fields too.
  const refresh = () => void queryClient.invalidateQueries();
  const editing = useRowDialog<Field | "new">(refresh);
  const deleting = useRowDialog<Field>(refresh);
  const toDelete = deleting.target;

  return (
    <Stack gap="md">
      <PageHeading title="Custom fields" description="The fields assets may hold besides their system fields." action={<Button onClick={() => editing.open("new")}>New field</Button>} />
      <LoadStates query={fields} empty={fields.data?.length === 0 ? "No custom fields yet." : null} />
      {fields.data && fields.data.length > 0 ? (
        <AdminTable label="Custom fields" columns={["Name", "Type", "Settings", "Indexed"]} actions minWidth={720}>
          {fields.data.map((field) => (
            <Table.Tr key={field.name}>
              <Table.Td fw={600}>{field.name}</Table.Td>
              <Table.Td>{typeLabel(field.type)}</Table.Td>
              <Table.Td>
                <FieldSettings field={field} />
              </Table.Td>
              <Table.Td>
                <IndexSwitch field={field} onChanged={refresh} />
              </Table.Td>
              <Table.Td>
                <RowActions name={field.name} onEdit={() => editing.open(field)} onDelete={() => deleting.open(field)} justify="flex-end" />
              </Table.Td>
            </Table.Tr>
          ))}
        </AdminTable>
      ) : null}
      {editing.target ? <FieldForm field={editing.target === "new" ? null : editing.target} onClose={editing.close} onSaved={editing.done} /> : null}
      {toDelete ? (
        <ConfirmDelete
          title={`Delete the field “${toDelete.name}”?`}
          onClose={deleting.close}
          onDelete={() => data(api.DELETE("/api/v4/asset-fields/{name}", { params: { path: { name: toDelete.name } } }))}
          onDone={deleting.done}
        >
          Its value goes with it from every asset of the tenant, and cannot be brought back. A field created later with the same name starts empty.
        </ConfirmDelete>
      ) : null}
    </Stack>
  );
}

function FieldSettings({ field }: { field: Field }) {
  if (field.options) {
    return (
      <Group gap={4} aria-label="Options">
        {field.options.slice(0, 8).map((option) => (
          <Badge key={option} variant="light" tt="none">
            {option}
          </Badge>
        ))}
        {field.options.length > 8 ? <Text size="xs">and {field.options.length - 8} more</Text> : null}
      </Group>
    );
  }
  if (field.type === "Decimal") return <Text size="sm">{field.precision ?? 2} fractional digits</Text>;
  return (
    <Text size="sm" c="dimmed">
      {field.description || "–"}
    </Text>
  );
}

/** Indexing builds (or drops) the index inside the request: the switch shows it pending until the answer. */
function IndexSwitch({ field, onChanged }: { field: Field; onChanged: () => void }) {
  const change = useMutation({
    mutationFn: (indexed: boolean) => data(api.PATCH("/api/v4/asset-fields/{name}", { params: { path: { name: field.name } }, body: { indexed } })),
    onSuccess: onChanged,
  });
  const shown = change.isPending ? change.variables : field.indexed;
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap">
        <Switch
          checked={shown}
          disabled={change.isPending}
          onChange={(e) => change.mutate(e.currentTarget.checked)}
          aria-label={`Index ${field.name}`}
        />
        {change.isPending ? (
          <Group gap={4} wrap="nowrap" role="status">
            <Loader size="xs" />
            <Text size="xs">{change.variables ? "Building index…" : "Dropping index…"}</Text>
          </Group>
        ) : null}
      </Group>
      {change.isError ? <AdminError error={change.error} /> : null}
    </Stack>
  );
}
