import { Anchor, Button, Card, Group, List, Skeleton, Text, Timeline, Title } from "@mantine/core";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { ErrorAlert } from "../ui/error-alert";
import { formatCount, formatTime } from "../ui/format";
import { CHANGE_COLORS, ChangeActionBadge } from "../ui/status-badge";
import { listChanges, type AssetChange } from "./asset-api";
import { formatValue } from "./draft";

const PAGE_SIZE = 20;


const historyKey = (assetId: string) => ["asset-page", "asset", assetId, "changes"];

/** Where the change came from: the API, or an import's entry (the import's page shows its report). */
function Source({ change }: { change: AssetChange }) {
  if (change.source !== "import" || change.import_id === null) return <>through the API</>;
  return (
    <>
      by{" "}
      <Anchor component={Link} href={`/imports/${change.import_id}`}>
        import #{change.import_id}
      </Anchor>
      {change.entry_num !== null ? (
        <>
          {", "}
          <Anchor component={Link} href={`/imports/${change.import_id}?entry=${change.entry_num}`}>
            entry {formatCount(change.entry_num)}
          </Anchor>
        </>
      ) : null}
    </>
  );
}

/** A change's value; the deletion's time as a time, like the rest of the page. */
function changeValue(field: string, value: unknown): string {
  return field === "deleted_at" && typeof value === "string" ? formatTime(value) : formatValue(value);
}

function ChangeItem({ change }: { change: AssetChange }) {
  return (
    <>
      <Text size="sm" c="dimmed">
        {change.actor} · {formatTime(change.changed_at)} · <Source change={change} /> · version {change.version}
      </Text>
      {change.changes.length > 0 ? (
        <List size="sm" mt={4} spacing={2} aria-label="Changed fields">
          {change.changes.map((c) => (
            <List.Item key={c.field}>
              <Text span fw={600} size="sm">
                {c.field}
              </Text>
              : <Text span size="sm" c={c.old === null ? "dimmed" : undefined}>{changeValue(c.field, c.old)}</Text> →{" "}
              <Text span size="sm" c={c.new === null ? "dimmed" : undefined}>{changeValue(c.field, c.new)}</Text>
            </List.Item>
          ))}
        </List>
      ) : null}
    </>
  );
}

/** The asset's changes, newest first, a page at a time. */
export function AssetHistory({ assetId, version }: { assetId: string; version: number }) {
  const history = useInfiniteQuery({
    // Keyed by the version shown: a reload that finds a newer asset finds its changes too.
    queryKey: [...historyKey(assetId), version],
    queryFn: ({ pageParam }) => listChanges(assetId, pageParam, PAGE_SIZE),
    initialPageParam: 1,
    placeholderData: keepPreviousData,
    getNextPageParam: (last) => (last.page < last.total_pages ? last.page + 1 : undefined),
  });
  const changes = history.data?.pages.flatMap((p) => p.collection) ?? [];
  const total = history.data?.pages[0]?.total_count ?? 0;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="asset-history">
      <Title order={2} size="h4" id="asset-history" mb="sm">
        History
      </Title>
      {history.isError ? <ErrorAlert error={history.error} onRetry={() => void history.refetch()} /> : null}
      {history.isPending ? <Skeleton h={120} /> : null}
      {history.data && changes.length === 0 ? <Text c="dimmed">No changes recorded.</Text> : null}
      {changes.length > 0 ? (
        <Timeline bulletSize={14} lineWidth={2} active={0} role="list" aria-label="Changes">
          {changes.map((change) => (
            <Timeline.Item
              key={change.cursor}
              role="listitem"
              color={CHANGE_COLORS[change.action]}
              title={
                <Group gap="xs">
                  <ChangeActionBadge action={change.action} />
                </Group>
              }
            >
              <ChangeItem change={change} />
            </Timeline.Item>
          ))}
        </Timeline>
      ) : null}
      {history.hasNextPage ? (
        <Group mt="md" gap="sm">
          <Button variant="light" size="xs" onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>
            Show more
          </Button>
          <Text size="sm" c="dimmed">
            {formatCount(changes.length)} of {formatCount(total)} changes
          </Text>
        </Group>
      ) : null}
    </Card>
  );
}
