import type { AssetChangeRow } from "../storage/asset-changes.js";
import { formatNullableTime, formatTime } from "../time.js";
import { joinAttributes } from "./attributes.js";

// What a change changed, worked out when history is read: the asset's state
// after the change against its state after the change before. A creation
// lists the name and every value as changed from nothing. Deleting a field
// removes its values from the recorded states too (storage/fields.ts).

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

interface State {
  name: string;
  data: Record<string, unknown>;
  is_active: boolean;
  deleted_at: string | null;
}

const stateOf = (row: AssetChangeRow): State => ({
  name: row.name,
  // Attributes (category, status, tags...) are compared as values are.
  data: joinAttributes(row),
  is_active: row.is_active === 1,
  deleted_at: formatNullableTime(row.deleted_at),
});

/** Stored values are scalars or arrays of strings (MultiSelect). */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

export function changedFields(row: AssetChangeRow, previous: AssetChangeRow | undefined): FieldChange[] {
  const after = stateOf(row);
  const before = previous ? stateOf(previous) : undefined;
  const changes: FieldChange[] = [];
  if (after.name !== before?.name) changes.push({ field: "name", old: before?.name ?? null, new: after.name });
  const keys = new Set([...Object.keys(before?.data ?? {}), ...Object.keys(after.data)]);
  for (const key of keys) {
    // No tags is [] here as on the asset; any other value without one is null.
    const none = key === "tags" ? [] : null;
    const old = before && Object.hasOwn(before.data, key) ? before.data[key] : none;
    const next = Object.hasOwn(after.data, key) ? after.data[key] : none;
    if (!same(old, next)) changes.push({ field: key, old, new: next });
  }
  if (before && before.is_active !== after.is_active) changes.push({ field: "is_active", old: before.is_active, new: after.is_active });
  if (before && before.deleted_at !== after.deleted_at) changes.push({ field: "deleted_at", old: before.deleted_at, new: after.deleted_at });
  return changes;
}

/** A history row as the API shows it. */
export function toChange(row: AssetChangeRow, previous: AssetChangeRow | undefined) {
  return {
    cursor: String(row.seq),
    asset_id: row.asset_id,
    version: row.version,
    action: row.action as "created" | "updated" | "deleted" | "restored",
    changed_at: formatTime(row.changed_at),
    actor: row.actor,
    source: row.import_id === null ? ("api" as const) : ("import" as const),
    import_id: row.import_id,
    entry_num: row.entry_num,
    changes: changedFields(row, previous),
  };
}
