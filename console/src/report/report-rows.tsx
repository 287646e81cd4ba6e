import { Group, Paper, Stack, Table, Text } from "@mantine/core";
import type { ReportRow } from "../api/types";
import { ReportStatusBadge } from "../ui/status-badge";
import classes from "./report.module.css";

export function where(row: ReportRow): string {
  if (row.line !== undefined) return `line ${row.line}`;
  if (row.row !== undefined) return `row ${row.row}`;
  return "–";
}

/**
 * The message without what the row's own columns already say: the service's
 * messages start with "line 2: " (or "row 2: ") and often with "price: ".
 */
export function shortMessage(row: ReportRow): string {
  let message = row.message ?? "";
  if (row.line !== undefined || row.row !== undefined) message = message.replace(/^(line|row) \d+: /, "");
  if (row.column !== undefined && row.column !== "" && message.startsWith(`${row.column}: `)) message = message.slice(row.column.length + 2);
  return message;
}

function Value({ row }: { row: ReportRow }) {
  return row.value === undefined ? (
    "–"
  ) : (
    <Text span size="sm" ff="monospace">
      {row.value}
    </Text>
  );
}

/**
 * Report rows: a table of entry, where in the file, status, column, value and
 * message; at a phone's width a card per row, the message under the entry.
 */
export function ReportRowsTable({ rows, label, withAction }: { rows: ReportRow[]; label: string; withAction: boolean }) {
  return (
    <>
      <Table.ScrollContainer minWidth={760} visibleFrom="sm">
        <Table striped verticalSpacing={6} aria-label={label} className={classes.table}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Entry</Table.Th>
              <Table.Th className={classes.nowrap}>Line or row</Table.Th>
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
                <Table.Td className={classes.nowrap}>{where(row)}</Table.Td>
                <Table.Td className={classes.nowrap}>
                  <ReportStatusBadge status={row.status} />
                </Table.Td>
                {withAction ? <Table.Td>{row.action ?? "–"}</Table.Td> : null}
                <Table.Td className={classes.column}>{row.column ?? "–"}</Table.Td>
                <Table.Td className={classes.value}>
                  <Value row={row} />
                </Table.Td>
                <Table.Td className={classes.message}>{shortMessage(row)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack gap="xs" hiddenFrom="sm" component="ul" className={classes.cards} aria-label={label}>
        {rows.map((row, index) => (
          <Paper key={`${row.entry_num}-${index}`} component="li" withBorder p="xs">
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm" fw={600}>
                Entry {row.entry_num}
                {where(row) !== "–" ? ` · ${where(row)}` : ""}
                {withAction && row.action ? ` · ${row.action}` : ""}
              </Text>
              <ReportStatusBadge status={row.status} />
            </Group>
            {row.column !== undefined ? (
              <Text size="sm" className={classes.value}>
                {row.column}
                {row.value !== undefined ? ": " : ""}
                {row.value !== undefined ? <Value row={row} /> : null}
              </Text>
            ) : null}
            {shortMessage(row) !== "" ? (
              <Text size="sm" className={classes.cardMessage}>
                {shortMessage(row)}
              </Text>
            ) : null}
          </Paper>
        ))}
      </Stack>
    </>
  );
}
