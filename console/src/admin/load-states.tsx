import { Skeleton, Text } from "@mantine/core";
import { AdminError } from "./admin-error";

interface Props {
  /** The failed read, if any: shown with a retry. */
  failed: { error: unknown; refetch: () => unknown } | null | undefined;
  loading: boolean;
  /** The sentence for an empty list, or null while it is not empty. */
  empty?: string | null;
  height?: number;
}

/** A section's list before it is there: the error (with a retry), a placeholder while loading, or the sentence for none. */
export function LoadStates({ failed, loading, empty = null, height = 160 }: Props) {
  return (
    <>
      {failed ? <AdminError error={failed.error} onRetry={() => void failed.refetch()} /> : null}
      {loading ? <Skeleton h={height} /> : null}
      {empty !== null ? <Text c="dimmed">{empty}</Text> : null}
    </>
  );
}
