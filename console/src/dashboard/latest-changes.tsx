import { Anchor, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "wouter";
import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { ChangeActionBadge } from "../ui/status-badge";
import { assetHref } from "../app/paths";
import { latestChanges, type AssetChange } from "./dashboard-api";
import classes from "./dashboard.module.css";

const LATEST = 10;
const FIELDS_SHOWN = 3;


/** "name, status, site_id and 2 more": what an update changed (a creation lists every value, which says nothing). */
function changedFields(change: AssetChange): string | null {
  if (change.action !== "updated" || change.changes.length === 0) return null;
  const names = change.changes.map((c) => c.field);
  const shown = names.slice(0, FIELDS_SHOWN).join(", ");
  return names.length > FIELDS_SHOWN ? `${shown} and ${names.length - FIELDS_SHOWN} more` : shown;
}

/** The newest name the change gave the asset, when it gave one. */
function newName(change: AssetChange): string | null {
  const name = change.changes.find((c) => c.field === "name")?.new;
  return typeof name === "string" ? name : null;
}

/** The tenant's newest asset changes: what, which asset, who, when, and the import it came from. */
export function LatestChanges({ refetchInterval }: { refetchInterval: number }) {
  const titleId = useId();
  const changes = useQuery({ queryKey: ["asset-changes", "latest", LATEST], queryFn: () => latestChanges(LATEST), refetchInterval });

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId} className={classes.card}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={titleId}>
          Latest changes
        </Title>
        {changes.isError ? <ErrorAlert error={changes.error} title="The latest changes did not load" onRetry={() => void changes.refetch()} /> : null}
        {changes.isPending ? <Skeleton h={160} aria-hidden /> : null}
        {changes.data && changes.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            No changes yet: every asset created, edited, deleted or imported shows here.
          </Text>
        ) : null}
        {changes.data && changes.data.length > 0 ? (
          <Stack gap="xs" component="ul" className={classes.plainList} aria-label="Latest changes">
            {changes.data.map((change) => {
              const fields = changedFields(change);
              const name = newName(change);
              return (
                <li key={change.cursor} className={classes.item}>
                  <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                    <div className={classes.itemText}>
                      <Anchor component={Link} href={assetHref(change.asset_id)} fw={600} className={classes.wrap}>
                        {change.asset_id}
                      </Anchor>
                      {name && name !== change.asset_id ? (
                        <Text span size="sm" ml={6} className={classes.wrap}>
                          {name}
                        </Text>
                      ) : null}
                      <Text size="xs" c="dimmed">
                        {change.actor} · <time dateTime={change.changed_at}>{formatTime(change.changed_at)}</time>
                        {change.import_id !== null ? (
                          <>
                            {" · "}
                            <Anchor component={Link} href={`/imports/${change.import_id}`} size="xs">
                              import #{change.import_id}
                            </Anchor>
                          </>
                        ) : null}
                      </Text>
                      {fields ? <Text size="xs">Changed {fields}</Text> : null}
                    </div>
                    <ChangeActionBadge action={change.action} />
                  </Group>
                </li>
              );
            })}
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
