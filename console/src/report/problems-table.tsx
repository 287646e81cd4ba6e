import { Group, Pagination, SegmentedControl, Skeleton, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getProblems } from "../api/imports";
import { ErrorAlert } from "../ui/error-alert";
import { formatCount } from "../ui/format";
import { ReportRowsTable } from "./report-rows";

const PAGE_SIZE = 25;
type Shown = "ALL" | "WARNING" | "FAILED";

/**
 * Every warning and failure of an import (a dry run, above all), filtered by
 * status and text and paged by the service, so that a file with a hundred
 * thousand problems pages as fast as one with five.
 */
export function ProblemsTable({ importId }: { importId: number }) {
  const [status, setStatus] = useState<Shown>("ALL");
  const [text, setText] = useState("");
  const [needle] = useDebouncedValue(text.trim(), 250);
  const [page, setPage] = useState(1);
  const everything = useQuery({ queryKey: ["problems", importId, "ALL", "", 1], queryFn: () => getProblems(importId, null, "", 1, PAGE_SIZE), staleTime: Infinity });
  const problems = useQuery({
    queryKey: ["problems", importId, status, needle, page],
    queryFn: () => getProblems(importId, status === "ALL" ? null : status, needle, page, PAGE_SIZE),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });

  if (everything.isError) return <ErrorAlert error={everything.error} onRetry={() => void everything.refetch()} />;
  if (everything.isPending) return <Skeleton h={160} />;
  if (everything.data.total_count === 0) return <Text c="teal.8">No problems: every entry would be imported without a warning.</Text>;

  const shown = problems.data;
  return (
    <Stack gap="sm">
      <Group align="flex-end" wrap="wrap">
        <SegmentedControl
          aria-label="Show problems"
          value={status}
          onChange={(value) => {
            setStatus(value as Shown);
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
      {problems.isError ? <ErrorAlert error={problems.error} onRetry={() => void problems.refetch()} /> : null}
      {shown ? (
        <>
          {/* Stale while the next filter loads: the count says which filter the rows are of. */}
          <Text size="sm" c="dimmed" data-testid="problems-total" aria-busy={problems.isPlaceholderData || needle !== text.trim()}>
            {formatCount(shown.total_count)} of {formatCount(everything.data.total_count)} problems
          </Text>
          <ReportRowsTable rows={shown.collection} label="Problems" withAction={false} />
          {shown.total_pages > 1 ? <Pagination total={shown.total_pages} value={page} onChange={setPage} aria-label="Pages of problems" /> : null}
        </>
      ) : (
        <Skeleton h={160} />
      )}
    </Stack>
  );
}
