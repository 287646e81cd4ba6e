import { Alert, Group, Pagination, SegmentedControl, Skeleton, Stack, Text, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { getReport } from "../api/imports";
import type { ReportRow } from "../api/types";
import { ErrorAlert } from "../ui/error-alert";
import { formatCount } from "../ui/format";
import { ReportRowsTable, where } from "./report-rows";

const PAGE_SIZE = 25;
const FETCH_LIMIT = 1000;
/** Problem rows of each status read for filtering in the page; past it, the download has them all. */
const MOST_ROWS = 10_000;

async function loadProblems(importId: number): Promise<{ rows: ReportRow[]; truncated: boolean }> {
  const rows: ReportRow[] = [];
  let truncated = false;
  for (const status of ["WARNING", "FAILED"] as const) {
    for (let page = 1; ; page++) {
      const result = await getReport(importId, status, page, FETCH_LIMIT);
      rows.push(...result.collection);
      if (page >= result.total_pages) break;
      if (page * FETCH_LIMIT >= MOST_ROWS) {
        truncated = true;
        break;
      }
    }
  }
  // Entry order, and an entry's warnings before its failure, as the report has them.
  rows.sort((a, b) => a.entry_num - b.entry_num || (a.status === b.status ? 0 : a.status === "WARNING" ? -1 : 1));
  return { rows, truncated };
}

function matches(row: ReportRow, text: string): boolean {
  if (text === "") return true;
  const haystack = [String(row.entry_num), where(row), row.column ?? "", row.value ?? "", row.message ?? ""].join("\u0000").toLowerCase();
  return haystack.includes(text);
}

/** Every warning and failure of an import (a dry run, above all), filtered by status and text. */
export function ProblemsTable({ importId }: { importId: number }) {
  const [status, setStatus] = useState<"ALL" | "WARNING" | "FAILED">("ALL");
  const [text, setText] = useState("");
  const [page, setPage] = useState(1);
  const problems = useQuery({ queryKey: ["problems", importId], queryFn: () => loadProblems(importId), staleTime: Infinity });

  const filtered = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return (problems.data?.rows ?? []).filter((row) => (status === "ALL" || row.status === status) && matches(row, needle));
  }, [problems.data, status, text]);
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
  const shown = filtered.slice((Math.min(page, pages) - 1) * PAGE_SIZE, Math.min(page, pages) * PAGE_SIZE);

  if (problems.isError) return <ErrorAlert error={problems.error} onRetry={() => void problems.refetch()} />;
  if (problems.isPending) return <Skeleton h={160} />;
  if (problems.data.rows.length === 0) return <Text c="teal.8">No problems: every entry would be imported without a warning.</Text>;

  return (
    <Stack gap="sm">
      <Group align="flex-end" wrap="wrap">
        <SegmentedControl
          aria-label="Show problems"
          value={status}
          onChange={(value) => {
            setStatus(value as typeof status);
            setPage(1);
          }}
          data={[
            { value: "ALL", label: "All problems" },
            { value: "WARNING", label: "Warnings" },
            { value: "FAILED", label: "Failures" },
          ]}
        />
        <TextInput
          label="Search the problems"
          placeholder="a message, column or value"
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setPage(1);
          }}
          w={{ base: "100%", sm: 280 }}
        />
      </Group>
      <Text size="sm" c="dimmed" data-testid="problems-total">
        {formatCount(filtered.length)} of {formatCount(problems.data.rows.length)} problems
      </Text>
      {problems.data.truncated ? (
        <Alert color="yellow">
          Only the first {formatCount(MOST_ROWS)} warnings and failures of each kind are listed here; the report and the failed entries download have them all.
        </Alert>
      ) : null}
      <ReportRowsTable rows={shown} label="Problems" withAction={false} />
      {pages > 1 ? <Pagination total={pages} value={Math.min(page, pages)} onChange={setPage} aria-label="Pages of problems" /> : null}
    </Stack>
  );
}
