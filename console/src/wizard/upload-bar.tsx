import { Progress, Stack, Text } from "@mantine/core";
import type { UploadProgress } from "../api/upload";
import { formatBytes } from "../ui/format";

/** The file on its way to the service. */
export function UploadBar({ progress, label }: { progress: UploadProgress | null; label: string }) {
  const total = progress?.total ?? 0;
  const loaded = progress?.loaded ?? 0;
  const done = total > 0 && loaded >= total;
  return (
    <Stack gap={4}>
      <Progress value={total > 0 ? (loaded / total) * 100 : 0} animated aria-label={label} />
      <Text size="sm" c="dimmed" aria-live="polite">
        {done ? "Uploaded; the service is reading the file…" : `Uploading ${formatBytes(loaded)} of ${formatBytes(total)}`}
      </Text>
    </Stack>
  );
}
