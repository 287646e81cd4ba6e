import { Anchor, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "wouter";
import type { ImportState, ImportStatus } from "../api/types";
import { ErrorAlert } from "../ui/error-alert";
import { createdBy, failedCount, formatCount, formatTime } from "../ui/format";
import { ImportStateBadge } from "../ui/status-badge";
import { RECENT_DAYS, recentImports } from "./dashboard-api";
import classes from "./dashboard.module.css";

const LATEST = 5;
// Outcomes in the order they matter to someone checking last night's load.
const OUTCOMES: ImportState[] = ["FAILED", "CANCELLED", "COMPLETED", "RUNNING", "NOT_STARTED"];

function outcomeCounts(imports: ImportStatus[]): Array<[ImportState, number]> {
  const counts = new Map<ImportState, number>();
  for (const item of imports) counts.set(item.status, (counts.get(item.status) ?? 0) + 1);
  return OUTCOMES.filter((state) => counts.has(state)).map((state) => [state, counts.get(state)!]);
}

function entriesLine(item: ImportStatus): string {
  const failed = failedCount(item.stats);
  const parts = [`${formatCount(item.stats.success_count)} of ${formatCount(item.stats.total_count)} imported`];
  if (item.stats.warning_count > 0) parts.push(`${formatCount(item.stats.warning_count)} with warnings`);
  if (failed > 0) parts.push(`${formatCount(failed)} failed`);
  if (item.stats.unprocessed_count) parts.push(`${formatCount(item.stats.unprocessed_count)} not processed`);
  return parts.join(" · ");
}

/** The imports of the last 30 days: how many ended how, and the latest few with links to their pages. */
export function RecentImports({ refetchInterval }: { refetchInterval: number }) {
  const titleId = useId();
  const recent = useQuery({
    queryKey: ["imports", "recent"],
    queryFn: () => recentImports(),
    // A running import's counts move: follow them while one is shown.
    refetchInterval: (query) => (query.state.data?.imports.some((i) => i.status === "RUNNING" || i.status === "NOT_STARTED") ? 2_000 : refetchInterval),
  });
  const imports = recent.data?.imports ?? [];

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId} className={classes.card}>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Title order={2} size="h4" id={titleId}>
            Imports of the last {RECENT_DAYS} days
          </Title>
          <Anchor component={Link} href="/imports" size="sm">
            All imports
          </Anchor>
        </Group>
        {recent.isError ? <ErrorAlert error={recent.error} title="The imports did not load" onRetry={() => void recent.refetch()} /> : null}
        {recent.isPending ? <Skeleton h={160} aria-hidden /> : null}
        {recent.data && imports.length === 0 ? (
          <Text size="sm" c="dimmed">
            No imports in the last {RECENT_DAYS} days.
          </Text>
        ) : null}
        {recent.data && imports.length > 0 ? (
          <>
            <Group gap="md" component="ul" className={classes.plainList} aria-label="Imports by outcome">
              <li>
                <Text size="sm" fw={600}>
                  {recent.data.more ? "At least " : ""}
                  {formatCount(imports.length)} {imports.length === 1 ? "import" : "imports"}
                </Text>
              </li>
              {outcomeCounts(imports).map(([state, count]) => (
                <li key={state}>
                  <Group gap={6} wrap="nowrap">
                    <ImportStateBadge state={state} />
                    <Text size="sm">{formatCount(count)}</Text>
                  </Group>
                </li>
              ))}
            </Group>
            <Stack gap="xs" component="ul" className={classes.plainList} aria-label="Latest imports">
              {imports.slice(0, LATEST).map((item) => (
                <li key={item.import_id} className={classes.item}>
                  <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                    <div className={classes.itemText}>
                      <Anchor component={Link} href={`/imports/${item.import_id}`} fw={600}>
                        Import #{item.import_id}
                      </Anchor>
                      {item.source_name ? (
                        <Text span size="sm" ml={6} className={classes.wrap}>
                          {item.source_name}
                        </Text>
                      ) : null}
                      <Text size="xs" c="dimmed">
                        {createdBy(item)} · {formatTime(item.created_at)}
                      </Text>
                      <Text size="xs">{entriesLine(item)}</Text>
                    </div>
                    <ImportStateBadge state={item.status} />
                  </Group>
                </li>
              ))}
            </Stack>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
