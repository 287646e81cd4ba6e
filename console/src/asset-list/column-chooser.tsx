import { Button, Checkbox, Popover, ScrollArea, Stack, Text } from "@mantine/core";
import type { Column } from "./columns";

/** The table's columns, system and custom, as check boxes; the ID always shows (it links the row). */
export function ColumnChooser({ all, visible, onChange }: { all: Column[]; visible: Column[]; onChange: (keys: string[]) => void }) {
  const shown = new Set(visible.map((c) => c.key));
  return (
    <Popover position="bottom-end" shadow="md" trapFocus withArrow>
      <Popover.Target>
        <Button variant="default">Columns ({visible.length})</Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Checkbox.Group
          label="Columns"
          value={[...shown]}
          // In the chooser's order, so a column comes back where it was.
          onChange={(keys) => onChange(all.filter((c) => c.key === "id" || keys.includes(c.key)).map((c) => c.key))}
        >
          <ScrollArea.Autosize mah={360} type="auto" mt="xs">
            <Stack gap={6} pr="sm">
              {all.map((column, index) => (
                <div key={column.key}>
                  {index > 0 && column.system !== all[index - 1]!.system ? (
                    <Text size="xs" c="dimmed" mt={4} mb={4}>
                      Custom fields
                    </Text>
                  ) : null}
                  <Checkbox value={column.key} label={column.label} disabled={column.key === "id"} />
                </div>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </Checkbox.Group>
      </Popover.Dropdown>
    </Popover>
  );
}
