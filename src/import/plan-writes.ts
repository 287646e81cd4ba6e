import type { StoredValue } from "../fields/coerce.js";
import { setOwn } from "./validate-entry.js";

/** One valid entry of a batch: what it sets on the asset with its ID. */
export interface EntryChange {
  /** Index of the entry within its batch. */
  index: number;
  id: string;
  /** null: the entry gave no name (a new asset is named by its ID, an existing one keeps its name). */
  name: string | null;
  /** Values to set; null clears a field. */
  patch: Record<string, StoredValue | null>;
}

export interface StoredAsset {
  name: string;
  data: Record<string, unknown>;
  version: number;
  /** When the asset was deleted (soft); null while it is active. */
  deletedAt: number | null;
}

/** An asset's state after the batch, to be written; `version` is the new version. */
export interface AssetWrite extends StoredAsset {
  id: string;
  /** The asset did not exist before the batch. */
  created: boolean;
  /** The asset was deleted: the import restores it (docs/assets.md). */
  restored: boolean;
  /** Index in the batch of the last entry that changed the asset. */
  lastIndex: number;
}

export type EntryAction = "created" | "updated" | "unchanged";

export const ACTION_LETTERS = { created: "c", updated: "u", unchanged: "n", failed: "f" } as const;

/**
 * Applies a batch's changes, in entry order, to the assets as stored: what
 * each entry does (creates, updates, or leaves the asset unchanged) and the
 * final state of each asset that changed. Entries with one ID apply one after
 * the other, so a later value wins and a later null clears.
 */
export function planWrites(changes: ReadonlyArray<EntryChange>, stored: ReadonlyMap<string, StoredAsset>): {
  writes: AssetWrite[];
  actions: Map<number, EntryAction>;
} {
  const current = new Map<string, AssetWrite & { changed: boolean }>();
  const actions = new Map<number, EntryAction>();
  for (const change of changes) {
    let state = current.get(change.id);
    if (!state) {
      const before = stored.get(change.id);
      if (!before) {
        const data: Record<string, unknown> = {};
        for (const key in change.patch) if (change.patch[key] !== null) setOwn(data, key, change.patch[key]);
        const created = { id: change.id, name: change.name ?? change.id, data, version: 1, deletedAt: null, created: true, restored: false, changed: true, lastIndex: change.index };
        current.set(change.id, created);
        actions.set(change.index, "created");
        continue;
      }
      const restored = before.deletedAt !== null;
      state = { id: change.id, name: before.name, data: before.data, version: before.version + 1, deletedAt: null, created: false, restored, changed: false, lastIndex: change.index };
      current.set(change.id, state);
    }
    // Restoring a deleted asset is a change in itself.
    let changed = (state.restored && !state.changed) || (change.name !== null && change.name !== state.name);
    for (const key in change.patch) {
      const value = change.patch[key];
      if (value === null ? Object.hasOwn(state.data, key) : !sameValue(state.data[key], value)) {
        changed = true;
        break;
      }
    }
    if (!changed) {
      actions.set(change.index, "unchanged");
      continue;
    }
    state.lastIndex = change.index;
    // Copy on first change: `stored` stays as read.
    const data: Record<string, unknown> = { ...state.data };
    for (const key in change.patch) {
      const value = change.patch[key];
      if (value === null) delete data[key];
      else setOwn(data, key, value);
    }
    state.data = data;
    if (change.name !== null) state.name = change.name;
    state.changed = true;
    actions.set(change.index, "updated");
  }
  const writes: AssetWrite[] = [];
  for (const { changed, ...write } of current.values()) {
    if (changed && (write.created || write.restored || !sameAsset(write, stored.get(write.id)!))) writes.push(write);
  }
  return { writes, actions };
}

function sameAsset(a: StoredAsset, b: StoredAsset): boolean {
  if (a.name !== b.name) return false;
  const keys = Object.keys(a.data);
  return keys.length === Object.keys(b.data).length && keys.every((k) => Object.hasOwn(b.data, k) && sameValue(a.data[k], b.data[k]));
}

/** Stored values are scalars or arrays of strings (MultiSelect). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
