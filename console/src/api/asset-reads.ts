import type { QueryClient } from "@tanstack/react-query";

// The first key of every cached read that an asset write can change: the
// assets table's rows and counts, the dashboard's counts and latest changes,
// and the asset pages with their histories.
const ASSET_READS = new Set(["assets", "asset-stats", "asset-changes", "asset-page"]);

/** Marks those reads stale after a write (an edit, a delete, a restore, a create, an import), so that no screen shows the assets as they were. */
export function assetsChanged(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (query) => ASSET_READS.has(String(query.queryKey[0])) });
}
