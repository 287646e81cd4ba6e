// The assets table's view, read from and written to the page's URL. Filters, search and
// sort use the API's own parameters (docs/query.md), so `/assets?filter[category]=laptops`
// means what `GET /api/v4/assets?filter[category]=laptops` means, and the same parameters
// go to the list, the count and the export. `columns` and `cursor` are the console's own.

export const OPERATORS = ["eq", "ne", "in", "all", "gt", "gte", "lt", "lte", "contains", "empty", "under"] as const;
export type Operator = (typeof OPERATORS)[number];

export interface ViewFilter {
  field: string;
  op: Operator;
  /** One value per parameter given (`in` may repeat the parameter for values holding a comma). */
  values: string[];
}

export interface SortKey {
  field: string;
  desc: boolean;
}

export interface AssetView {
  search: string;
  filters: ViewFilter[];
  sort: SortKey[];
  /** null: the default columns. */
  columns: string[] | null;
  includeInactive: boolean;
  /** The page's keyset cursor; null for the first page. */
  cursor: string | null;
}

export const MAX_SORT_KEYS = 5;
const OPERATOR_KEY = new RegExp(`^(.*)\\]\\[(${OPERATORS.join("|")})$`, "s");

export function parseView(search: string): AssetView {
  const params = new URLSearchParams(search);
  const view: AssetView = { search: params.get("search") ?? "", filters: [], sort: [], columns: null, includeInactive: params.get("include_inactive") === "true", cursor: params.get("cursor") };
  for (const [key, value] of params) {
    if (!key.startsWith("filter[") || !key.endsWith("]")) continue;
    const inner = key.slice("filter[".length, -1);
    const withOp = OPERATOR_KEY.exec(inner);
    const field = withOp ? withOp[1]! : inner;
    const op = withOp ? (withOp[2] as Operator) : "eq";
    const existing = view.filters.find((f) => f.field === field && f.op === op);
    if (existing) existing.values.push(value);
    else view.filters.push({ field, op, values: [value] });
  }
  for (let n = 1; n <= MAX_SORT_KEYS; n++) {
    const suffix = n === 1 ? "" : String(n);
    const field = params.get(`order${suffix}`);
    if (!field) break;
    view.sort.push({ field, desc: params.get(`orderdesc${suffix}`) === "true" });
  }
  const columns = params.get("columns");
  if (columns !== null) view.columns = columns.split(",").filter((c) => c !== "");
  return view;
}

/** The parameters the list, its count and the export share: filters, search and sort. */
export function queryParams(view: AssetView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.search !== "") params.set("search", view.search);
  for (const filter of view.filters) {
    // The short form for equality, as the dashboard's links write it.
    const key = filter.op === "eq" && !filter.field.includes("][") ? `filter[${filter.field}]` : `filter[${filter.field}][${filter.op}]`;
    for (const value of filter.values) params.append(key, value);
  }
  view.sort.forEach((key, index) => {
    const suffix = index === 0 ? "" : String(index + 1);
    params.set(`order${suffix}`, key.field);
    if (key.desc) params.set(`orderdesc${suffix}`, "true");
  });
  if (view.includeInactive) params.set("include_inactive", "true");
  return params;
}

/** The page's URL for a view: the API's parameters, then the console's own. */
export function viewUrl(view: AssetView): string {
  const params = queryParams(view);
  if (view.columns !== null) params.set("columns", view.columns.join(","));
  if (view.cursor !== null) params.set("cursor", view.cursor);
  const search = queryString(params);
  return `/assets${search ? `?${search}` : ""}`;
}

/** Like URLSearchParams.toString, but brackets and commas stay readable: `filter[category]=laptops`. */
export function queryString(params: URLSearchParams): string {
  const readable = (text: string) => encodeURIComponent(text).replace(/%5B/g, "[").replace(/%5D/g, "]").replace(/%2C/g, ",");
  return [...params].map(([key, value]) => `${readable(key)}=${readable(value)}`).join("&");
}

/**
 * Header click: sort by this column alone (again: the other direction). With
 * Shift: add it as the next key, or turn its direction if it is one already.
 */
export function sortBy(sort: SortKey[], field: string, add: boolean): SortKey[] {
  const at = sort.findIndex((key) => key.field === field);
  if (add) {
    if (at >= 0) return sort.map((key, index) => (index === at ? { field, desc: !key.desc } : key));
    return sort.length >= MAX_SORT_KEYS ? sort : [...sort, { field, desc: false }];
  }
  if (sort.length === 1 && at === 0) return [{ field, desc: !sort[0]!.desc }];
  return [{ field, desc: false }];
}

/** A new view from a change of its query: back to the first page. */
export function withQuery(view: AssetView, change: Partial<Omit<AssetView, "cursor">>): AssetView {
  return { ...view, ...change, cursor: null };
}
