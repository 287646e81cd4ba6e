import { Alert, Badge, Loader, Select, Stack, Table, Text, Title, type ComboboxItem, type ComboboxItemGroup } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { catalogKeys } from "../api/catalog";
import { createField } from "../api/imports";
import { previewValue, type Field, type Preview, type PreviewColumn } from "../api/types";
import { ErrorAlert } from "../ui/error-alert";
import { clashes, CREATE, hasId, knownKeys, matchLabel, targetChoices, targetOf, typeToCreate, valueOf, type Mapping } from "./mapping";
import classes from "./wizard.module.css";

interface Props {
  preview: Preview;
  fields: Field[];
  admin: boolean;
  mapping: Mapping;
  onMapping: (mapping: Mapping) => void;
  onFieldCreated: () => void;
}

function cell(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "null";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Step 2: the first rows as the service parsed them, and each column's target. */
export function MappingStep({ preview, fields, admin, mapping, onMapping, onFieldCreated }: Props) {
  const queryClient = useQueryClient();
  const known = knownKeys(fields);
  const [creating, setCreating] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (column: PreviewColumn) => createField(column.name, typeToCreate(column)),
    onMutate: (column) => setCreating(column.name),
    onSuccess: async (field, column) => {
      await queryClient.invalidateQueries({ queryKey: catalogKeys.all });
      onMapping({ ...mapping, [column.name]: field.name });
      onFieldCreated();
    },
    onSettled: () => setCreating(null),
  });
  const clashing = clashes(mapping);

  const choose = (column: PreviewColumn, value: string | null) => {
    if (value === null) return;
    if (value === CREATE) {
      create.mutate(column);
      return;
    }
    onMapping({ ...mapping, [column.name]: targetOf(value, column.name) });
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Each column is imported as the key chosen here. A column that matches no field is sent as it is, so the import warns about it, as the API would.
      </Text>
      <Table.ScrollContainer minWidth={320}>
        <Table verticalSpacing="xs" aria-label="Columns">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Column</Table.Th>
              <Table.Th>Import as</Table.Th>
              <Table.Th visibleFrom="sm">First values</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.columns.map((column) => {
              const target = Object.hasOwn(mapping, column.name) ? mapping[column.name]! : column.target;
              const match = matchLabel(target, fields);
              const samples = preview.rows
                .map((row) => cell(previewValue(row, column.name)))
                .filter((value) => value !== "")
                .slice(0, 3);
              return (
                <Table.Tr key={column.name}>
                  <Table.Td>
                    <Text fw={600} size="sm" className={classes.columnName}>
                      {column.name}
                    </Text>
                    <Badge size="xs" variant="light" color={match.matched ? "indigo" : "gray"}>
                      {match.label}
                    </Badge>
                  </Table.Td>
                  <Table.Td className={classes.target}>
                    <TargetSelect
                      column={column.name}
                      data={targetChoices(column, target, fields, admin)}
                      value={valueOf(target, column.name, known)}
                      onChange={(value) => choose(column, value)}
                      creating={creating === column.name}
                    />
                  </Table.Td>
                  <Table.Td visibleFrom="sm">
                    <Text size="sm" c="dimmed" className={classes.samples}>
                      {samples.join(" · ")}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {create.isError ? <ErrorAlert title="The field was not created" error={create.error} /> : null}
      {clashing.map((clash) => (
        <Alert key={clash.key} color="red" role="alert">
          The columns {clash.columns.join(" and ")} would all be imported as {clash.key}: choose one, or leave the others out.
        </Alert>
      ))}
      {!hasId(mapping) ? (
        <Alert color="yellow" role="status">
          No column is imported as the ID (id or uid): every entry will fail with &ldquo;Missing ID&rdquo;.
        </Alert>
      ) : null}

      <Title order={3} size="h5">
        First rows{preview.more_rows ? " (the file has more)" : ""}
      </Title>
      <Table.ScrollContainer minWidth={Math.max(480, preview.columns.length * 120)}>
        <Table striped withTableBorder verticalSpacing={4} aria-label="First rows" className={classes.rows}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Entry</Table.Th>
              {preview.columns.map((column) => {
                const target = Object.hasOwn(mapping, column.name) ? mapping[column.name]! : column.target;
                return (
                  <Table.Th key={column.name}>
                    {column.name}
                    <Text size="xs" c="dimmed" fw={400}>
                      {target === null ? "left out" : target === column.name ? "" : `→ ${target}`}
                    </Text>
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.rows.map((row) => (
              <Table.Tr key={row.entry_num}>
                <Table.Td>
                  {row.entry_num}
                  {row.line !== undefined ? <Text size="xs" c="dimmed">line {row.line}</Text> : null}
                  {row.row !== undefined ? <Text size="xs" c="dimmed">row {row.row}</Text> : null}
                </Table.Td>
                {row.problem ? (
                  <Table.Td colSpan={preview.columns.length}>
                    <Text size="sm" c="red.7">
                      {row.problem}
                    </Text>
                  </Table.Td>
                ) : (
                  preview.columns.map((column) => <Table.Td key={column.name}>{cell(previewValue(row, column.name))}</Table.Td>)
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

interface TargetSelectProps {
  column: string;
  data: ComboboxItemGroup<ComboboxItem>[];
  value: string;
  onChange: (value: string | null) => void;
  creating: boolean;
}

/**
 * A column's target, searchable. The search starts empty when the list opens
 * (the current choice stays as the placeholder), so typing filters the list
 * instead of being added to the label shown.
 */
function TargetSelect({ column, data, value, onChange, creating }: TargetSelectProps) {
  const label = data.flatMap((group) => group.items).find((item) => item.value === value)?.label ?? "";
  const [opened, setOpened] = useState(false);
  const [search, setSearch] = useState("");
  // Typing into the closed Select (focused with Tab) opens it: what was typed is kept, not the label it was typed into.
  const typed = useRef<string | null>(null);
  return (
    <Select
      aria-label={`Import column ${column} as`}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={opened ? search : label}
      onSearchChange={(next) => {
        if (!opened) typed.current = next.startsWith(label) ? next.slice(label.length) : next;
        setSearch(opened ? next : (typed.current ?? ""));
      }}
      onDropdownOpen={() => {
        setOpened(true);
        setSearch(typed.current ?? "");
        typed.current = null;
      }}
      onDropdownClose={() => setOpened(false)}
      placeholder={label}
      allowDeselect={false}
      selectFirstOptionOnChange
      maxDropdownHeight={320}
      disabled={creating}
      rightSection={creating ? <Loader size="xs" /> : undefined}
    />
  );
}
