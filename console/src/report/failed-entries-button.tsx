import { Button } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { downloadFailedEntries } from "../api/imports";
import { ErrorAlert } from "../ui/error-alert";

/** The failed entries as CSV, with their reasons, to fix and import again. */
export function FailedEntriesButton({ importId }: { importId: number }) {
  const download = useMutation({ mutationFn: () => downloadFailedEntries(importId) });
  return (
    <>
      <Button variant="light" onClick={() => download.mutate()} loading={download.isPending}>
        Download failed entries (CSV)
      </Button>
      {download.isError ? <ErrorAlert title="The download did not work" error={download.error} /> : null}
    </>
  );
}
