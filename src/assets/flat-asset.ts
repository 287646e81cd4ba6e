import type { FlatAsset } from "../schemas/assets.js";
import type { AssetRow } from "../storage/assets.js";
import { formatNullableTime, formatTime } from "../time.js";
import type { AssetCatalog } from "./catalog.js";

/** The flat asset of the contract: system fields and custom values side by side; `site_name` from the catalog. */
export function toFlatAsset(row: AssetRow, catalog: AssetCatalog): FlatAsset {
  return {
    id: row.id,
    uid: row.uid,
    name: row.name,
    ...(JSON.parse(row.data) as Record<string, unknown>),
    description: row.description,
    tags: row.tags === null ? [] : (JSON.parse(row.tags) as string[]),
    category: row.category_id,
    status: row.status_id,
    site_id: row.site_id,
    site_name: row.site_id === null ? null : catalog.siteName(row.site_id),
    created_at: formatTime(row.created_at),
    created_by: row.created_by,
    updated_at: formatTime(row.updated_at),
    updated_by: row.updated_by,
    version: row.version,
    is_active: row.is_active === 1,
    deleted_at: formatNullableTime(row.deleted_at),
  };
}
