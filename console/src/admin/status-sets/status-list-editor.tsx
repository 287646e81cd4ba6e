import { ActionIcon, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { suggestId } from "../slug";

export interface StatusRow {
  /** The row's identity in the editor, kept while its ID and name are typed. */
  key: number;
  id: string;
  name: string;
  /** Stored already: its ID stays (assets hold it); only the name changes. */
  stored: boolean;
  /** The ID was typed, so it no longer follows the name. */
  idTyped: boolean;
}

let nextKey = 1;
export const statusRow = (id: string, name: string, stored: boolean): StatusRow => ({ key: nextKey++, id, name, stored, idTyped: stored });

/** The ordered statuses of a set: add, rename, move up or down, remove. */
export function StatusListEditor({ rows, onChange }: { rows: StatusRow[]; onChange: (rows: StatusRow[]) => void }) {
  const update = (index: number, change: Partial<StatusRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    next.splice(index + by, 0, row!);
    onChange(next);
  };
  return (
    <Stack gap="xs" role="group" aria-label="Statuses, in order">
      <Text size="sm" fw={500}>
        Statuses, in order
      </Text>
      <Stack gap={6} component="ol" m={0} p={0} style={{ listStyle: "none" }}>
        {rows.map((row, index) => (
          <Group component="li" key={row.key} gap="xs" wrap="nowrap" align="flex-end">
            <Text size="sm" c="dimmed" w={20} ta="right" mb={8} aria-hidden>
              {index + 1}.
            </Text>
            <TextInput
              label={index === 0 ? "Name" : undefined}
              aria-label={`Status ${index + 1} name`}
              value={row.name}
              onChange={(e) => {
                const name = e.currentTarget.value;
                update(index, row.idTyped ? { name } : { name, id: suggestId(name) });
              }}
              required
              style={{ flex: 1, minWidth: 0 }}
            />
            <TextInput
              label={index === 0 ? "ID" : undefined}
              aria-label={`Status ${index + 1} ID`}
              value={row.id}
              onChange={(e) => update(index, { id: e.currentTarget.value, idTyped: true })}
              disabled={row.stored}
              required
              style={{ flex: 1, minWidth: 0 }}
            />
            <Group gap={4} wrap="nowrap" mb={4}>
              <ActionIcon variant="default" onClick={() => move(index, -1)} disabled={index === 0} aria-label={`Move ${row.name || `status ${index + 1}`} up`}>
                ↑
              </ActionIcon>
              <ActionIcon variant="default" onClick={() => move(index, 1)} disabled={index === rows.length - 1} aria-label={`Move ${row.name || `status ${index + 1}`} down`}>
                ↓
              </ActionIcon>
              <ActionIcon variant="subtle" color="red" onClick={() => onChange(rows.filter((_, i) => i !== index))} disabled={rows.length === 1} aria-label={`Remove ${row.name || `status ${index + 1}`}`}>
                ×
              </ActionIcon>
            </Group>
          </Group>
        ))}
      </Stack>
      <Group>
        <Button variant="light" size="xs" onClick={() => onChange([...rows, statusRow("", "", false)])}>
          Add status
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        A stored status keeps its ID: assets hold it. Removing a status that assets still have is refused.
      </Text>
    </Stack>
  );
}
