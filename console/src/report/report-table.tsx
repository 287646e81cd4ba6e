import { Group, Pagination, SegmentedControl, Skeleton, Stack, Text } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getReport } from "../api/imports";
import type { ReportStatus } from "../api/types";
import { ErrorAlert } from "../ui/error-alert";
import { formatCount } from "../ui/format";
import { ReportRowsTable } from "./report-rows";

const PAGE_SIZE = 50;

/** The per-entry report of an import, filtered by status and paged by the service. */
export function ReportTable({ importId }: { importId: number }) {
  const [status, setStatus] = useState<ReportStatus | "ALL">("ALL");
  const [page, setPage] = useState(1);
  const report = useQuery({
    queryKey: ["report", importId, status, page],
    queryFn: () => getReport(importId, status === "ALL" ? null : status, page, PAGE_SIZE),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <SegmentedControl
          aria-label="Show report rows"
          value={status}
          onChange={(value) => {
            setStatus(value as ReportStatus | "ALL");
            setPage(1);
          }}
          data={[
            { value: "ALL", label: "All" },
            { value: "SUCCESS", label: "Success" },
            { value: "WARNING", label: "Warnings" },
            { value: "FAILED", label: "Failed" },
          ]}
        />
        {report.data ? (
          <Text size="sm" c="dimmed">
            {formatCount(report.data.total_count)} rows
          </Text>
        ) : null}
      </Group>
      {report.isError ? <ErrorAlert error={report.error} onRetry={() => void report.refetch()} /> : null}
      {report.isPending ? <Skeleton h={160} /> : null}
      {report.data && report.data.total_count === 0 ? <Text c="dimmed">No rows{status === "ALL" ? "" : " with this status"}.</Text> : null}
      {report.data && report.data.total_count > 0 ? <ReportRowsTable rows={report.data.collection} label="Report" withAction /> : null}
      {report.data && report.data.total_pages > 1 ? (
        <Pagination total={report.data.total_pages} value={page} onChange={setPage} aria-label="Pages of the report" />
      ) : null}
    </Stack>
  );
}
