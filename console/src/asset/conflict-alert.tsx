import { Alert, Button, Group, Skeleton, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { describeError } from "../api/errors";
import { formatTime } from "../ui/format";
import { listChanges } from "./asset-api";

/**
 * A write refused with 412: someone changed the asset since it was read. Says
 * who and when (the asset's latest change) and leaves the choice to the user:
 * their unsaved values stay in the form until they reload.
 */
export function ConflictAlert({ assetId, onReload, reloading }: { assetId: string; onReload: () => void; reloading: boolean }) {
  const latest = useQuery({ queryKey: ["asset-page", "asset", assetId, "latest-change"], queryFn: () => listChanges(assetId, 1, 1), staleTime: 0, gcTime: 0 });
  const change = latest.data?.collection[0];
  return (
    <Alert color="orange" title="Someone else changed this asset" role="alert">
      {latest.isPending ? <Skeleton h={16} w={300} /> : null}
      {latest.isError ? <Text size="sm">Who changed it could not be read: {describeError(latest.error)}</Text> : null}
      {change ? (
        <Text size="sm">
          {change.actor} {change.action} it on {formatTime(change.changed_at)} (version {change.version}), after you opened it. Your changes are not saved.
        </Text>
      ) : null}
      <Group mt="sm" gap="sm">
        <Button size="xs" color="orange" onClick={onReload} loading={reloading}>
          Reload
        </Button>
        <Text size="xs" c="dimmed">
          Reload shows the asset as it is now; your values below are then discarded.
        </Text>
      </Group>
    </Alert>
  );
}
