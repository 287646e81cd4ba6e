import { Table, Text } from "@mantine/core";
import type { ReportRow } from "../api/types";
import { ReportStatusBadge } from "../ui/status-badge";
import classes from "./report.module.css";

export function where(row: ReportRow): string {
  if (row.line !== undefined) return `line ${row.line}`;
  if (row.row !== undefined) return `row ${row.row}`;
  return "–";
}

/** Report rows as a table: entry, where in the file, status, column, value, message. */
export function ReportRowsTable({ rows, label, withAction }: { rows: ReportRow[]; label: string; withAction: boolean }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped verticalSpacing={6} aria-label={label} className={classes.table}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Entry</Table.Th>
            <Table.Th>Line or row</Table.Th>
            <Table.Th>Status</Table.Th>
            {withAction ? <Table.Th>Action</Table.Th> : null}
            <Table.Th>Column</Table.Th>
            <Table.Th>Value</Table.Th>
            <Table.Th>Message</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, index) => (
            <Table.Tr key={`${row.entry_num}-${index}`}>
              <Table.Td>{row.entry_num}</Table.Td>
              <Table.Td>{where(row)}</Table.Td>
              <Table.Td>
                <ReportStatusBadge status={row.status} />
              </Table.Td>
              {withAction ? <Table.Td>{row.action ?? "–"}</Table.Td> : null}
              <Table.Td>{row.column ?? "–"}</Table.Td>
              <Table.Td className={classes.value}>
                {row.value === undefined ? (
                  "–"
                ) : (
                  <Text span size="sm" ff="monospace">
                    {row.value}
                  </Text>
                )}
              </Table.Td>
              <Table.Td className={classes.message}>{row.message ?? ""}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
