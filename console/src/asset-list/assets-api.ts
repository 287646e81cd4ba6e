import type { operations } from "../../../openapi/schema";
import { api, apiFetch, data } from "../api/client";
import { saveDownload } from "../api/imports";
import type { Json } from "../api/types";
import { queryString } from "./view";

// The calls of the assets table. The list, its count and the export take the view's
// parameters as the page's URL holds them (view.ts), so they are sent as that text
// rather than rebuilt from an object: repeated `in` values and field names with
// brackets reach the API exactly as written.

export type AssetPage = Json<"listAssets">;
export type Asset = AssetPage["collection"][number];
export type ExportFormat = NonNullable<NonNullable<operations["exportAssets"]["parameters"]["query"]>["format"]>;

export const PAGE_SIZE = 50;

/** One page of the view in cursor mode (no count: the rows come without waiting for it). */
export async function listAssets(params: URLSearchParams, cursor: string | null, fields: string[] | null, signal?: AbortSignal): Promise<AssetPage> {
  const query = new URLSearchParams(params);
  query.set("limit", String(PAGE_SIZE));
  query.set("cursor", cursor ?? "");
  if (fields) query.set("fields", fields.join(","));
  return data(api.GET("/api/v4/assets", { querySerializer: () => queryString(query), ...(signal ? { signal } : {}) }));
}

/** How many assets the view holds (the service keeps counts per query until the assets change). */
export async function countAssets(params: URLSearchParams, signal?: AbortSignal): Promise<number> {
  const query = new URLSearchParams(params);
  for (const key of [...query.keys()]) if (key.startsWith("order")) query.delete(key);
  query.set("limit", "1");
  query.set("idonly", "true");
  const page = await data(api.GET("/api/v4/assets", { querySerializer: () => queryString(query), ...(signal ? { signal } : {}) }));
  return page.total_count ?? page.count;
}

/** Saves the view (filters, search and order) as a file, named as the service names it. */
export async function exportAssets(params: URLSearchParams, format: ExportFormat): Promise<void> {
  const query = new URLSearchParams(params);
  query.set("format", format);
  const response = await apiFetch(`/api/v4/assets-export?${queryString(query)}`);
  await saveDownload(response, `assets.${format}`);
}
