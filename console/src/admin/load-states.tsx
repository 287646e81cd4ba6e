import { Skeleton, Text } from "@mantine/core";
import { AdminError } from "./admin-error";

interface Props {
  query: { isError: boolean; isPending: boolean; error: unknown; refetch: () => unknown };
  /** For a section that waits on more than this one query. */
  loading?: boolean;
  /** The sentence for an empty list, or null while it is not empty. */
  empty?: string | null;
  height?: number;
}

/** A section's list before it is there: the error (with a retry), a placeholder while loading, or the sentence for none. */
export function LoadStates({ query, loading = query.isPending, empty = null, height = 160 }: Props) {
  return (
    <>
      {query.isError ? <AdminError error={query.error} onRetry={() => void query.refetch()} /> : null}
      {loading ? <Skeleton h={height} /> : null}
      {empty !== null ? <Text c="dimmed">{empty}</Text> : null}
    </>
  );
}
