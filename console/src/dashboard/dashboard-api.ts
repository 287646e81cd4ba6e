import type { operations } from "../../../openapi/schema";
import { api, data } from "../api/client";
import { listImports } from "../api/imports";
import type { ImportStatus } from "../api/types";

// The dashboard's three reads. Types come from the generated OpenAPI operations,
// as in api/types.ts.

export type StatsGroupBy = "category" | "status" | "site";
export type AssetStats = operations["countAssetsByValue"]["responses"][200]["content"]["application/json"];
export type StatsGroup = AssetStats["groups"][number];
export type AssetChange = operations["listChanges"]["responses"][200]["content"]["application/json"]["collection"][number];

/** GET /api/v4/asset-stats: how many assets hold each category, status or site. */
export async function countAssetsBy(groupBy: StatsGroupBy): Promise<AssetStats> {
  return data(api.GET("/api/v4/asset-stats", { params: { query: { group_by: groupBy } } }));
}

/** GET /api/v4/asset-changes?orderdesc=true: the tenant's newest changes, newest first. */
export async function latestChanges(limit: number): Promise<AssetChange[]> {
  const page = await data(api.GET("/api/v4/asset-changes", { params: { query: { orderdesc: true, limit } } }));
  return page.collection;
}

export const RECENT_DAYS = 30;
const PAGE_SIZE = 100;
// More imports than this in a month is a nightly job run many times a day: the summary says "at least".
const MOST_PAGES = 5;

export interface RecentImports {
  imports: ImportStatus[];
  /** Whether there were more in the period than were read. */
  more: boolean;
}

/**
 * The real imports (no dry runs) started in the last `RECENT_DAYS` days. The
 * list has no date filter but comes newest first, so pages are read until one
 * reaches an older import.
 */
export async function recentImports(now = Date.now()): Promise<RecentImports> {
  const since = now - RECENT_DAYS * 24 * 60 * 60 * 1000;
  const imports: ImportStatus[] = [];
  for (let page = 1; page <= MOST_PAGES; page++) {
    const result = await listImports(page, PAGE_SIZE, null, false);
    const recent = result.collection.filter((item) => Date.parse(item.created_at) >= since);
    imports.push(...recent);
    if (recent.length < result.collection.length || page >= result.total_pages) return { imports, more: false };
  }
  return { imports, more: true };
}
