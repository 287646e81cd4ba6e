import { Anchor, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { getEntryReport } from "../api/imports";
import { ErrorAlert } from "../ui/error-alert";
import { formatCount } from "../ui/format";
import { ReportRowsTable } from "./report-rows";

/**
 * One entry of an import (`/imports/7?entry=118`): what the import did with it,
 * as the full report has it. An asset's history links here from each change an
 * import made, so the user sees the row that changed the asset and why.
 */
export function EntryReport({ importId, entry }: { importId: number; entry: number }) {
  const rows = useQuery({ queryKey: ["report", importId, "entry", entry], queryFn: () => getEntryReport(importId, entry) });
  const label = `Entry ${formatCount(entry)}`;
  return (
    <Paper withBorder p="md" component="section" aria-label={label}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {label}
        </Title>
        {rows.isError ? <ErrorAlert error={rows.error} onRetry={() => void rows.refetch()} /> : null}
        {rows.isPending ? <Skeleton h={48} /> : null}
        {rows.data?.length === 0 ? <Text size="sm">This import has no entry {formatCount(entry)}, or has not reached it yet.</Text> : null}
        {rows.data && rows.data.length > 0 ? <ReportRowsTable rows={rows.data} label={`${label}'s report`} withAction /> : null}
        <Anchor component={Link} href={`/imports/${importId}`} size="sm">
          The whole import
        </Anchor>
      </Stack>
    </Paper>
  );
}
