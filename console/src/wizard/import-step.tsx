import { Alert, Button, List, Stack, Text } from "@mantine/core";
import type { ColumnsOption } from "../api/upload";
import type { ImportStatus } from "../api/types";
import type { UploadProgress } from "../api/upload";
import { ImportProgress } from "../report/import-progress";
import { ErrorAlert } from "../ui/error-alert";
import { FORMAT_LABELS, formatBytes, formatCount } from "../ui/format";
import type { ImportOptions } from "./options";
import type { ImportSource } from "./source";
import { UploadBar } from "./upload-bar";

interface Props {
  /** Null when the wizard was reopened on an import it started (a reload): the summary comes from its status. */
  source: ImportSource | null;
  sheet: string | undefined;
  options: ImportOptions;
  columns: ColumnsOption | undefined;
  check: ImportStatus | undefined;
  status: ImportStatus | undefined;
  uploading: boolean;
  upload: UploadProgress | null;
  replayed: boolean;
  error: unknown;
  onImport: () => void;
}

/** Step 5: the import itself, once; then its live progress and Cancel. */
export function ImportStep({ source, sheet, options, columns, check, status, uploading, upload, replayed, error, onImport }: Props) {
  const renamed = Object.entries((source ? columns : status?.options.columns) ?? {});
  const allOrNone = source ? options.all_or_none : status?.options.all_or_none === true;
  const started = status !== undefined;
  return (
    <Stack gap="md">
      <List size="sm" spacing={4}>
        {source ? (
          <List.Item>
            {source.name}: {FORMAT_LABELS[source.format]}
            {sheet ? `, sheet ${sheet}` : ""}, {formatBytes(source.blob.size)}
          </List.Item>
        ) : status ? (
          <List.Item>
            {status.source_name ?? `Import #${status.import_id}`}: {FORMAT_LABELS[status.format]}
          </List.Item>
        ) : null}
        <List.Item>
          {renamed.length === 0
            ? "Every column is imported under its own name."
            : `${renamed.length} column${renamed.length === 1 ? "" : "s"} mapped: ${renamed.map(([from, to]) => (to === null ? `${from} left out` : `${from} → ${to}`)).join(", ")}.`}
        </List.Item>
        <List.Item>{allOrNone ? "All or none: if any entry fails, nothing is imported." : "Entries that fail are skipped; the others are imported."}</List.Item>
        {check ? (
          <List.Item>
            The check found {formatCount(check.stats.failed_count)} failing and {formatCount(check.stats.warning_count)} warned entries of {formatCount(check.stats.total_count)}.
          </List.Item>
        ) : null}
      </List>
      {check && options.all_or_none && check.stats.failed_count > 0 && !started ? (
        <Alert color="yellow" role="status">
          With all or none set, the {formatCount(check.stats.failed_count)} failing entries keep every entry out: nothing will be imported.
        </Alert>
      ) : null}
      {!started && source ? (
        <div>
          <Button size="md" onClick={onImport} disabled={uploading} loading={uploading}>
            Import
          </Button>
        </div>
      ) : null}
      {uploading ? <UploadBar progress={upload} label="Upload" /> : null}
      {error && !uploading && !started ? <ErrorAlert title="The import was not started" error={error} /> : null}
      {replayed ? (
        <Text size="sm" c="dimmed">
          This import had already been started by this wizard: it is shown, not started again.
        </Text>
      ) : null}
      {status ? <ImportProgress status={status} canCancel /> : null}
    </Stack>
  );
}
