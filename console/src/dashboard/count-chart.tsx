import { Anchor, Paper, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useId } from "react";
import { Link, useLocation } from "wouter";
import { ErrorAlert } from "../ui/error-alert";
import { formatCount } from "../ui/format";
import { filteredListHref } from "./asset-links";
import { countAssetsBy, type StatsGroup, type StatsGroupBy } from "./dashboard-api";
import classes from "./dashboard.module.css";

// Beyond this many values a bar chart stops being readable; the rest are summed in one row.
const MOST_BARS = 8;
const LABEL_CHARS = 18;

// recharts is most of the dashboard's code: the numbers show while it loads.
const loadChart = () => import("./bar-chart");
const CountBarChart = lazy(loadChart);
/** Starts loading the chart's code, so that it comes while the counts are asked for. */
export const preloadChart = () => void loadChart();
const chartHeight = (bars: number) => bars * 30 + 30;

const NOUNS: Record<StatsGroupBy, { title: string; column: string; none: string; others: string }> = {
  category: { title: "By category", column: "Category", none: "No category", others: "categories" },
  status: { title: "By status", column: "Status", none: "No status", others: "statuses" },
  site: { title: "By site", column: "Site", none: "No site", others: "sites" },
};

interface Row {
  label: string;
  count: number;
  href: string;
}

function rowOf(groupBy: StatsGroupBy, group: StatsGroup): Row {
  const label = group.value === null ? NOUNS[groupBy].none : (group.name ?? String(group.value));
  return { label, count: group.count, href: filteredListHref(groupBy, group.value) };
}

const shortLabel = (label: string) => (label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label);

/**
 * How many assets hold each category, status or site: a bar chart to look at
 * and click, and beside it the same numbers as a table of links, which is what
 * a screen reader reads and a keyboard reaches (the chart is hidden from both).
 */
export function CountChart({ groupBy, refetchInterval }: { groupBy: StatsGroupBy; refetchInterval: number }) {
  const [, navigate] = useLocation();
  const titleId = useId();
  const stats = useQuery({ queryKey: ["asset-stats", groupBy], queryFn: () => countAssetsBy(groupBy), refetchInterval });
  const nouns = NOUNS[groupBy];

  const rows = (stats.data?.groups ?? []).slice(0, MOST_BARS).map((group) => rowOf(groupBy, group));
  const rest = (stats.data?.groups ?? []).slice(MOST_BARS);
  // Each asset holds one value or none, so what the rows leave out is the rest of the total (also past the 1,000 values listed).
  const restCount = (stats.data?.total_count ?? 0) - rows.reduce((sum, row) => sum + row.count, 0);
  const bars = rows.map((row) => ({ label: shortLabel(row.label), count: row.count }));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId} className={classes.card}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={titleId}>
          {nouns.title}
        </Title>
        {stats.isError ? <ErrorAlert error={stats.error} title={`Counts ${nouns.title.toLowerCase()} did not load`} onRetry={() => void stats.refetch()} /> : null}
        {stats.isPending ? (
          <>
            <Skeleton h={chartHeight(3)} aria-hidden />
            <Skeleton h={80} aria-hidden />
          </>
        ) : null}
        {stats.data && rows.length > 0 ? (
          <>
            <div aria-hidden="true" data-testid={`chart-${groupBy}`}>
              <Suspense fallback={<Skeleton h={chartHeight(rows.length)} />}>
                <CountBarChart bars={bars} height={chartHeight(rows.length)} onBarClick={(index) => navigate(rows[index]!.href)} />
              </Suspense>
            </div>
            <Table aria-label={`Assets ${nouns.title.toLowerCase()}`} verticalSpacing={4} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{nouns.column}</Table.Th>
                  <Table.Th className={classes.number}>Assets</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.href}>
                    <Table.Td>
                      <Anchor component={Link} href={row.href} size="sm" className={classes.label}>
                        {row.label}
                      </Anchor>
                    </Table.Td>
                    <Table.Td className={classes.number}>{formatCount(row.count)}</Table.Td>
                  </Table.Tr>
                ))}
                {rest.length > 0 || stats.data.more ? (
                  <Table.Tr>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {stats.data.more ? "More than " : ""}
                        {formatCount(rest.length)} other {nouns.others}
                      </Text>
                    </Table.Td>
                    <Table.Td className={classes.number}>{formatCount(restCount)}</Table.Td>
                  </Table.Tr>
                ) : null}
              </Table.Tbody>
            </Table>
          </>
        ) : null}
        {stats.data && rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            No assets to count.
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
