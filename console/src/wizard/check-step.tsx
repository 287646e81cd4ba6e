import { Button, Group, Stack, Text, Title } from "@mantine/core";
import type { UploadProgress } from "../api/upload";
import { isFinal, type ImportStatus } from "../api/types";
import { ImportCounts } from "../report/import-counts";
import { ImportProgress } from "../report/import-progress";
import { ProblemsTable } from "../report/problems-table";
import { ErrorAlert } from "../ui/error-alert";
import { UploadBar } from "./upload-bar";

interface Props {
  /** The dry run's status, followed by the wizard. */
  status: { data?: ImportStatus; isError: boolean; error: unknown; refetch: () => Promise<unknown> };
  uploading: boolean;
  upload: UploadProgress | null;
  error: unknown;
  onCheckAgain: () => void;
}

/** Step 4: a dry run of the import as set up, with what it would do and every problem. */
export function CheckStep({ status, uploading, upload, error, onCheckAgain }: Props) {
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        A dry run: every entry is checked as the import would check it, and nothing is written. Go back to change the mapping or the options, and the check runs
        again.
      </Text>
      {uploading ? <UploadBar progress={upload} label="Upload for the check" /> : null}
      {!uploading && error ? <ErrorAlert title="The check could not run" error={error} onRetry={onCheckAgain} /> : null}
      {!uploading && !error && status.isError ? <ErrorAlert error={status.error} onRetry={() => void status.refetch()} /> : null}
      {!uploading && !error && status.data && !isFinal(status.data) ? <ImportProgress status={status.data} canCancel={false} label="Check progress" /> : null}
      {!uploading && !error && status.data && isFinal(status.data) ? (
        <>
          {status.data.status !== "COMPLETED" ? <ErrorAlert title="The check did not finish" error={new Error(status.data.error ?? `The check ended ${status.data.status.toLowerCase()}`)} /> : null}
          <ImportCounts status={status.data} />
          <Group justify="space-between" align="center">
            <Title order={3} size="h5">
              Problems
            </Title>
            <Button variant="default" size="xs" onClick={onCheckAgain}>
              Check again
            </Button>
          </Group>
          <ProblemsTable importId={status.data.import_id} />
        </>
      ) : null}
    </Stack>
  );
}
