import type { Classification } from "../assets/attributes.js";
import type { AssetCatalog } from "../assets/catalog.js";
import { StaleBatch } from "../storage/imports.js";
import type { ImportMapping } from "./mapping.js";
import type { StoredAsset } from "./plan-writes.js";
import { batchEntryId } from "./process-batch.js";
import type { EntryModel } from "./validate-entry.js";

// A batch is validated before its transaction, but whether a custom value
// applies, and which statuses an entry may give, depend on the category the
// asset has: the batch's assets' categories and statuses are read first, and
// the plan, inside the transaction, checks they are still what was read
// (StaleBatch sends the batch round again). A tenant without categories
// needs neither: no asset can have one.

export interface BatchModel {
  model: EntryModel;
  /**
   * Throws StaleBatch when an asset the batch writes (`written`, as the plan
   * read them into `stored`) is no longer classified as the batch was
   * validated against.
   */
  check(stored: ReadonlyMap<string, StoredAsset>, written: readonly string[]): void;
}

const classificationOf = (asset: StoredAsset | undefined): Classification | undefined =>
  asset && { category: (asset.data.category as string | undefined) ?? null, status: (asset.data.status as string | undefined) ?? null };

export async function batchModel(
  catalog: AssetCatalog,
  entries: ReadonlyArray<unknown>,
  mapping: ImportMapping,
  read: (ids: string[]) => Promise<Map<string, Classification>>,
  simulated?: ReadonlyMap<string, StoredAsset>,
): Promise<BatchModel> {
  if (!catalog.hasCategories) return { model: { catalog, before: () => undefined }, check: () => {} };
  const ids = [...new Set(entries.map((entry) => batchEntryId(entry, mapping)).filter((id) => id !== undefined))];
  const before = await read(ids);
  // A validation pass compares with what its earlier batches would have written.
  for (const id of ids) {
    const pending = classificationOf(simulated?.get(id));
    if (pending) before.set(id, pending);
  }
  return {
    model: { catalog, before: (id) => before.get(id) },
    check(stored, written) {
      for (const id of written) {
        const assumed = before.get(id);
        const actual = classificationOf(stored.get(id));
        if ((assumed?.category ?? null) !== (actual?.category ?? null) || (assumed?.status ?? null) !== (actual?.status ?? null)) throw new StaleBatch();
      }
    },
  };
}
