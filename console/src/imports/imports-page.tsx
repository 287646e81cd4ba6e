import { Anchor, Button, Group, Pagination, Paper, Select, Skeleton, Stack, Switch, Table, Text } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type MouseEvent } from "react";
import { Link, useLocation } from "wouter";
import { listImports } from "../api/imports";
import type { ImportState } from "../api/types";
import { canWriteAssets, useCurrentUser } from "../app/use-session";
import { PageHeading } from "../ui/page-heading";
import { ErrorAlert } from "../ui/error-alert";
import { createdBy, failedCount, FORMAT_LABELS, formatCount, formatDuration, formatTime, importSeconds } from "../ui/format";
import { ImportStateBadge } from "../ui/status-badge";
import classes from "./imports-page.module.css";

const PAGE_SIZE = 20;

const STATE_FILTER = [
  { value: "all", label: "All statuses" },
  { value: "RUNNING", label: "Running" },
  { value: "NOT_STARTED", label: "Waiting" },
  { value: "COMPLETED", label: "Completed" },
  { value: "FAILED", label: "Failed" },
  { value: "CANCELLED", label: "Cancelled" },
];

export function ImportsPage() {
  const me = useCurrentUser();
  const [, navigate] = useLocation();
  const [page, setPage] = useState(1);
  const [state, setState] = useState<ImportState | null>(null);
  const [withChecks, setWithChecks] = useState(false);
  const imports = useQuery({
    queryKey: ["imports", page, state, withChecks],
    queryFn: () => listImports(page, PAGE_SIZE, state, withChecks),
    placeholderData: keepPreviousData,
    // A running import's counts move; the list follows them while one is shown.
    refetchInterval: (query) => (query.state.data?.collection.some((i) => i.status === "RUNNING" || i.status === "NOT_STARTED") ? 2_000 : false),
  });

  return (
    <Stack gap="md">
      <PageHeading
        title="Imports"
        action={
          canWriteAssets(me.data) ? (
            <Button component={Link} href="/imports/new">
              Import
            </Button>
          ) : null
        }
      />
      <Group align="flex-end">
        <Select
          label="Status"
          data={STATE_FILTER}
          value={state ?? "all"}
          onChange={(value) => {
            setState(value && value !== "all" ? (value as ImportState) : null);
            setPage(1);
          }}
          allowDeselect={false}
          w={200}
        />
        <Switch
          label="Show checks (dry runs)"
          checked={withChecks}
          onChange={(event) => {
            setWithChecks(event.currentTarget.checked);
            setPage(1);
          }}
          mb={8}
        />
      </Group>
      {imports.isError ? <ErrorAlert error={imports.error} onRetry={() => void imports.refetch()} /> : null}
      {imports.isPending ? <Skeleton h={200} /> : null}
      {imports.data && imports.data.total_count === 0 ? (
        <Text c="dimmed">{state ? "No imports with this status." : withChecks ? "No imports or checks yet." : "No imports yet."}</Text>
      ) : null}
      {imports.data && imports.data.total_count > 0 ? (
        <>
          <Stack gap="xs" hiddenFrom="sm" component="ul" className={classes.cards} aria-label="Past imports">
            {imports.data.collection.map((item) => (
              <li key={item.import_id}>
                <Paper withBorder p="sm" component={Link} href={`/imports/${item.import_id}`} className={classes.card}>
                  <Group justify="space-between" wrap="nowrap">
                    <Text fw={600}>
                      #{item.import_id} · {FORMAT_LABELS[item.format]}
                      {item.options.dry_run ? " · dry run" : ""}
                    </Text>
                    <ImportStateBadge state={item.status} />
                  </Group>
                  {item.source_name ? (
                    <Text size="sm" className={classes.sourceName}>
                      {item.source_name}
                    </Text>
                  ) : null}
                  <Text size="sm" c="dimmed">
                    {createdBy(item)} · {formatTime(item.created_at)} · {formatDuration(importSeconds(item))}
                  </Text>
                  <Text size="sm">
                    {formatCount(item.stats.total_count)} entries · {formatCount(item.stats.success_count)} succeeded · {formatCount(item.stats.warning_count)} with warnings ·{" "}
                    {formatCount(failedCount(item.stats))} failed
                    {item.stats.unprocessed_count ? ` · ${formatCount(item.stats.unprocessed_count)} not processed` : ""}
                  </Text>
                </Paper>
              </li>
            ))}
          </Stack>
          <Table.ScrollContainer minWidth={940} visibleFrom="sm">
            <Table highlightOnHover verticalSpacing="xs" aria-label="Past imports">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Import</Table.Th>
                  <Table.Th>File</Table.Th>
                  <Table.Th>Started by</Table.Th>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Format</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Duration</Table.Th>
                  <Table.Th className={classes.number}>Entries</Table.Th>
                  <Table.Th className={classes.number}>Succeeded</Table.Th>
                  <Table.Th className={classes.number}>Warnings</Table.Th>
                  <Table.Th className={classes.number}>Failed</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {imports.data.collection.map((item) => (
                  <Table.Tr key={item.import_id} className={classes.row} onClick={() => navigate(`/imports/${item.import_id}`)}>
                    <Table.Td>
                      <Anchor component={Link} href={`/imports/${item.import_id}`} onClick={(event: MouseEvent) => event.stopPropagation()}>
                        #{item.import_id}
                      </Anchor>
                      {item.options.dry_run ? (
                        <Text span size="xs" c="dimmed" ml={6}>
                          dry run
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td className={classes.sourceName}>{item.source_name ?? "–"}</Table.Td>
                    <Table.Td>{createdBy(item)}</Table.Td>
                    <Table.Td>{formatTime(item.created_at)}</Table.Td>
                    <Table.Td>{FORMAT_LABELS[item.format]}</Table.Td>
                    <Table.Td>
                      <ImportStateBadge state={item.status} />
                    </Table.Td>
                    <Table.Td>{formatDuration(importSeconds(item))}</Table.Td>
                    <Table.Td className={classes.number}>{formatCount(item.stats.total_count)}</Table.Td>
                    <Table.Td className={classes.number}>{formatCount(item.stats.success_count)}</Table.Td>
                    <Table.Td className={classes.number}>{formatCount(item.stats.warning_count)}</Table.Td>
                    <Table.Td className={classes.number}>
                      {formatCount(failedCount(item.stats))}
                      {item.stats.unprocessed_count ? (
                        <Text size="xs" c="dimmed">
                          {formatCount(item.stats.unprocessed_count)} not processed
                        </Text>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {imports.data.total_pages > 1 ? (
            <Pagination total={imports.data.total_pages} value={page} onChange={setPage} aria-label="Pages of imports" />
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
