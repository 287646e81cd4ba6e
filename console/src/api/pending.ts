// What the console uses of the API before openapi/schema.d.ts describes it:
// typed by hand here, in one place, and moved to the generated types (api/types.ts)
// once `npm run openapi` has them.
import { apiFetch } from "./client";
import type { ImportStatus } from "./types";

export type ColumnMatch = "id" | "name" | "field" | "attribute" | "none";

export interface PreviewColumn {
  name: string;
  target: string | null;
  match: ColumnMatch;
  field_type?: string;
  suggested_type?: string;
}

export interface PreviewRow {
  entry_num: number;
  line?: number;
  row?: number;
  entry: Record<string, unknown>;
  problem?: string;
}

export interface Preview {
  format: ImportStatus["format"];
  delimiter?: "," | ";" | "tab" | "|";
  charset?: "utf-8" | "windows-1252";
  sheets?: string[];
  sheet?: string;
  columns: PreviewColumn[];
  rows: PreviewRow[];
  more_rows: boolean;
}

/** POST /api/v4/assets-import/preview: the first rows and a suggested mapping; writes nothing. */
export async function fetchPreview(body: Blob, contentType: string, query: URLSearchParams, signal?: AbortSignal): Promise<Preview> {
  const search = query.toString();
  const response = await apiFetch(`/api/v4/assets-import/preview${search ? `?${search}` : ""}`, {
    method: "POST",
    headers: { "Content-Type": contentType, Accept: "application/json" },
    body,
    ...(signal ? { signal } : {}),
  });
  return (await response.json()) as Preview;
}

/** GET /api/v4/assets-import/{id}/events: a text/event-stream of `status` events. */
export function importEventsUrl(importId: number): string {
  return `/api/v4/assets-import/${importId}/events`;
}
