import { Table, VisuallyHidden } from "@mantine/core";
import type { ReactNode } from "react";

interface Props {
  /** The table's accessible name. */
  label: string;
  columns: string[];
  /** A last column of row buttons, named for screen readers only. */
  actions?: boolean;
  /** Below this width the table scrolls sideways (on a phone) rather than squeezing its columns. */
  minWidth: number;
  children: ReactNode;
}

/** A section's table: the head from the column names, the rows as children. */
export function AdminTable({ label, columns, actions = false, minWidth, children }: Props) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table verticalSpacing="xs" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column}>{column}</Table.Th>
            ))}
            {actions ? (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
