import "@mantine/charts/styles.css";
import { Anchor, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { Link } from "wouter";
import { NEW_ASSET } from "../app/paths";
import { canWriteAssets, useCurrentUser } from "../app/use-session";
import { PageHeading } from "../ui/page-heading";
import { ErrorAlert } from "../ui/error-alert";
import { formatCount } from "../ui/format";
import { CountChart, preloadChart } from "./count-chart";
import { countAssetsBy } from "./dashboard-api";
import classes from "./dashboard.module.css";
import { LatestChanges } from "./latest-changes";
import { RecentImports } from "./recent-imports";

// The service keeps the counts until the tenant's assets change (docs/query.md),
// so asking every half minute costs it one grouping per change, not per ask.
const REFRESH_MS = 30_000;

export default function DashboardPage() {
  const me = useCurrentUser();
  useEffect(preloadChart, []);
  // The category counts carry the total: the same query as its chart, so one request.
  const byCategory = useQuery({ queryKey: ["asset-stats", "category"], queryFn: () => countAssetsBy("category"), refetchInterval: REFRESH_MS });
  const total = byCategory.data?.total_count;
  const mayImport = canWriteAssets(me.data);

  return (
    <Stack gap="md">
      <PageHeading
        title="Dashboard"
        action={
          mayImport ? (
            <Button component={Link} href="/imports/new">
              Import
            </Button>
          ) : null
        }
      />

      <Paper withBorder p="md" component="section" aria-label="Assets in the registry">
        {byCategory.isError ? <ErrorAlert error={byCategory.error} title="The number of assets did not load" onRetry={() => void byCategory.refetch()} /> : null}
        {byCategory.isPending ? <Skeleton h={56} aria-hidden /> : null}
        {total !== undefined && total > 0 ? (
          <Group justify="space-between" align="flex-end">
            <div>
              <Text size="sm" c="dimmed">
                Assets
              </Text>
              <Text className={classes.total} data-testid="asset-total">
                {formatCount(total)}
              </Text>
            </div>
            <Anchor component={Link} href="/assets">
              Browse all assets
            </Anchor>
          </Group>
        ) : null}
        {total === 0 ? <EmptyRegistry mayImport={mayImport} /> : null}
      </Paper>

      {total === 0 ? null : (
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
          <CountChart groupBy="category" refetchInterval={REFRESH_MS} />
          <CountChart groupBy="status" refetchInterval={REFRESH_MS} />
          <CountChart groupBy="site" refetchInterval={REFRESH_MS} />
        </SimpleGrid>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <RecentImports refetchInterval={REFRESH_MS} />
        <LatestChanges refetchInterval={REFRESH_MS} />
      </SimpleGrid>
    </Stack>
  );
}

/** What to do with an empty registry: import (or create) assets, or ask someone who may. */
function EmptyRegistry({ mayImport }: { mayImport: boolean }) {
  return (
    <Stack gap="xs" align="flex-start">
      <Text fw={600}>The registry has no assets yet.</Text>
      {mayImport ? (
        <>
          <Text size="sm">Import them from a CSV, XLSX, JSON or NDJSON file, or create one by hand.</Text>
          <Group gap="sm">
            <Button component={Link} href="/imports/new" variant="light">
              Import assets
            </Button>
            <Anchor component={Link} href={NEW_ASSET} size="sm">
              Create an asset
            </Anchor>
          </Group>
        </>
      ) : (
        <Text size="sm">Once an editor or an admin imports or creates assets, their counts show here.</Text>
      )}
    </Stack>
  );
}
