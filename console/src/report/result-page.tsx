import { Anchor, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { Link, useSearch } from "wouter";
import { canWriteAssets, useCurrentUser } from "../app/use-session";
import { ErrorAlert } from "../ui/error-alert";
import { createdBy, FORMAT_LABELS, formatTime } from "../ui/format";
import { ImportStateBadge } from "../ui/status-badge";
import { EntryReport } from "./entry-report";
import { ImportView } from "./import-view";
import { useFollowedImport } from "./use-followed-import";

/** /imports/:id: an import's result, or its progress while it runs. */
export default function ResultPage({ importId }: { importId: number }) {
  const me = useCurrentUser();
  const valid = Number.isInteger(importId) && importId > 0;
  const status = useFollowedImport(valid ? importId : null);
  // ?entry=118: one entry first (an asset's history links to the entry that changed it).
  const entry = Number(new URLSearchParams(useSearch()).get("entry"));

  return (
    <Stack gap="md">
      <Anchor component={Link} href="/imports" size="sm">
        ← All imports
      </Anchor>
      <Group gap="sm" align="center">
        <Title order={1} size="h2">
          Import #{valid ? importId : "?"}
        </Title>
        {status.data ? <ImportStateBadge state={status.data.status} /> : null}
        {status.data?.options.dry_run ? <Text c="dimmed">dry run</Text> : null}
      </Group>
      {!valid ? <ErrorAlert error={new Error("There is no import with this number")} /> : null}
      {status.isError ? <ErrorAlert error={status.error} onRetry={() => void status.refetch()} /> : null}
      {status.isPending && valid ? <Skeleton h={200} /> : null}
      {status.data ? (
        <>
          <Text size="sm" c="dimmed">
            {status.data.source_name ? `${status.data.source_name} · ` : ""}
            {FORMAT_LABELS[status.data.format]} · started by {createdBy(status.data)} · {formatTime(status.data.created_at)}
            {status.data.options.all_or_none ? " · all or none" : ""}
          </Text>
          {Number.isInteger(entry) && entry > 0 ? <EntryReport importId={importId} entry={entry} /> : null}
          <ImportView status={status.data} canCancel={canWriteAssets(me.data)} />
        </>
      ) : null}
    </Stack>
  );
}
