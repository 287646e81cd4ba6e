import { Alert, Group, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { isFinal, type ImportStatus } from "../api/types";
import { failedCount, formatCount, formatDuration, importSeconds } from "../ui/format";
import { FailedEntriesButton } from "./failed-entries-button";
import { ImportCounts } from "./import-counts";
import { ImportProgress } from "./import-progress";
import { ReportTable } from "./report-table";

function outcome(status: ImportStatus): { color: string; title: string; text: string } {
  const { stats } = status;
  const failed = failedCount(stats);
  const duration = formatDuration(importSeconds(status));
  if (status.status === "COMPLETED") {
    return {
      color: failed > 0 ? "yellow" : "teal",
      title: status.options.dry_run ? "Check finished" : "Import completed",
      text: `${formatCount(stats.success_count)} of ${formatCount(stats.total_count)} entries ${status.options.dry_run ? "would be imported" : "imported"}${failed > 0 ? `, ${formatCount(failed)} failed` : ""}, in ${duration}.`,
    };
  }
  if (status.status === "CANCELLED") {
    return { color: "orange", title: "Import cancelled", text: `It stopped after ${formatCount(stats.success_count)} imported entries${failed > 0 ? ` and ${formatCount(failed)} failed ones` : ""}; ${formatCount(stats.unprocessed_count ?? 0)} entries were not processed. What was imported stays.` };
  }
  return { color: "red", title: "Import failed", text: status.error ?? "The import stopped." };
}

/** One import: live progress while it runs, then its summary, report and failed entries. */
export function ImportView({ status, canCancel, actions }: { status: ImportStatus; canCancel: boolean; actions?: ReactNode }) {
  if (!isFinal(status)) return <ImportProgress status={status} canCancel={canCancel} />;
  const result = outcome(status);
  return (
    <Stack gap="md">
      <Alert color={result.color} title={result.title} role="status">
        <Text size="sm">{result.text}</Text>
      </Alert>
      <ImportCounts status={status} />
      <Group>
        {status.stats.failed_count > 0 ? <FailedEntriesButton importId={status.import_id} /> : null}
        {actions}
      </Group>
      <Title order={2} size="h4">
        Report
      </Title>
      <ReportTable importId={status.import_id} />
    </Stack>
  );
}
