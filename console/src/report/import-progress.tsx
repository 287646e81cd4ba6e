import { Button, Group, Modal, Progress, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { cancelImport } from "../api/imports";
import type { ImportStatus } from "../api/types";
import { ErrorAlert } from "../ui/error-alert";
import { failedCount, formatCount, formatDuration } from "../ui/format";
import { importKey } from "./use-followed-import";

interface Sample {
  at: number;
  processed: number;
}

/** Entries per second over the last few seconds, from the statuses seen so far. */
function useRate(status: ImportStatus): number | null {
  const samples = useRef<Sample[]>([]);
  const processed = status.stats.total_count - status.stats.in_progress_count;
  const now = Date.now();
  const list = samples.current;
  if (status.status === "RUNNING" && (list.length === 0 || list[list.length - 1]!.processed !== processed)) list.push({ at: now, processed });
  while (list.length > 2 && now - list[0]!.at > 5_000) list.shift();
  if (list.length >= 2) {
    const first = list[0]!;
    const last = list[list.length - 1]!;
    if (last.at > first.at) return ((last.processed - first.processed) * 1000) / (last.at - first.at);
  }
  if (status.import_started_at && processed > 0) {
    const seconds = (now - Date.parse(status.import_started_at)) / 1000;
    if (seconds > 0.2) return processed / seconds;
  }
  return null;
}

/** A running import: the bar, its counts, speed and time left, and Cancel. */
export function ImportProgress({ status, canCancel, label = "Import progress" }: { status: ImportStatus; canCancel: boolean; label?: string }) {
  const queryClient = useQueryClient();
  const { stats } = status;
  const total = stats.total_count;
  const processed = total - stats.in_progress_count;
  const percent = total > 0 ? (processed / total) * 100 : 0;
  const rate = useRate(status);
  const left = rate && rate > 0 ? stats.in_progress_count / rate : null;
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation({
    mutationFn: () => cancelImport(status.import_id),
    onMutate: () => setConfirming(false),
    onSuccess: (next) => queryClient.setQueryData(importKey(status.import_id), next),
  });
  const failed = failedCount(stats);
  const failedPart = total > 0 ? (failed / total) * 100 : 0;

  return (
    <Stack gap="xs">
      <Progress.Root size="xl" aria-label={label}>
        <Progress.Section value={Math.max(0, percent - failedPart)} color="teal" animated={status.status === "RUNNING"} aria-label={label} />
        <Progress.Section value={failedPart} color="red" aria-label="Failed" />
      </Progress.Root>
      <Text size="sm" aria-live="polite">
        {status.status === "NOT_STARTED" ? "Waiting for earlier imports to finish. " : null}
        Processed <b data-testid="processed">{formatCount(processed)}</b> of {formatCount(total)} · {formatCount(stats.success_count)} succeeded ·{" "}
        {formatCount(stats.warning_count)} with warnings · {formatCount(failed)} failed
      </Text>
      <Group justify="space-between" align="center">
        <Text size="sm" c="dimmed">
          {rate !== null ? `${formatCount(Math.round(rate))} entries per second` : "Measuring speed…"}
          {left === null ? "" : left < 1 ? " · less than a second left" : ` · about ${formatDuration(left)} left`}
        </Text>
        {canCancel ? (
          <Button color="red" variant="light" onClick={() => setConfirming(true)} loading={cancel.isPending} disabled={status.cancel_requested}>
            {status.cancel_requested ? "Cancelling…" : "Cancel"}
          </Button>
        ) : null}
      </Group>
      <Modal opened={confirming && !status.cancel_requested} onClose={() => setConfirming(false)} title="Stop the import?" centered>
        <Stack gap="md">
          <Text size="sm">What it has imported stays; the entries it has not reached are not imported.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)} data-autofocus>
              Keep running
            </Button>
            <Button color="red" onClick={() => cancel.mutate()}>
              Stop import
            </Button>
          </Group>
        </Stack>
      </Modal>
      {cancel.isError ? <ErrorAlert title="Could not cancel" error={cancel.error} /> : null}
    </Stack>
  );
}
