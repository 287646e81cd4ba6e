import type { StatsGroup, StatsGroupBy } from "./dashboard-api";

/** The list's filter key for each grouping: a site is filtered by its ID (`site_id`). */
const FILTER_KEYS: Record<StatsGroupBy, string> = { category: "category", status: "status", site: "site_id" };

/**
 * The asset list filtered to one group, in the API's own syntax, which the list
 * page reads from its URL: `/assets?filter[category]=laptops`, and
 * `filter[category][empty]=true` for the assets without one.
 */
export function filteredListHref(groupBy: StatsGroupBy, value: StatsGroup["value"]): string {
  const key = FILTER_KEYS[groupBy];
  if (value === null) return `/assets?filter[${key}][empty]=true`;
  return `/assets?filter[${key}]=${encodeURIComponent(String(value))}`;
}
