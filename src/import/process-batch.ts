import type { FieldDefinition } from "../fields/field-types.js";
import type { AssetUpsert, ReportRow } from "../storage/imports.js";
import { idKeyOf, type ImportMapping } from "./mapping.js";
import { messages, setOwn, validateEntry } from "./validate-entry.js";

export interface BatchOutcome {
  upserts: AssetUpsert[];
  report: ReportRow[];
  success: number;
  failed: number;
  warned: number;
  appliedNow: Map<string, number>;
}

/**
 * Turns a batch of entries into the asset writes and report rows that
 * commit together. `applied` maps each ID imported so far in this import to
 * its latest entry number; the batch's own additions come back in
 * `appliedNow`, to be merged once the batch has committed.
 */
export function processBatch(
  entries: ReadonlyArray<Record<string, unknown>>,
  firstEntryNum: number,
  mapping: ImportMapping,
  fields: ReadonlyMap<string, FieldDefinition>,
  applied: ReadonlyMap<string, number>,
): BatchOutcome {
  // Entries with one ID fold into one write, in entry order: later values
  // win and a later null clears, exactly as applying them one by one would.
  const upserts = new Map<string, AssetUpsert>();
  const appliedNow = new Map<string, number>();
  const report: ReportRow[] = [];
  let success = 0;
  let failed = 0;
  let warned = 0;

  entries.forEach((entry, index) => {
    const entryNum = firstEntryNum + index;
    const outcome = validateEntry(entry, mapping, fields);
    const { id } = outcome;
    if (id !== undefined) {
      const earlier = appliedNow.get(id) ?? applied.get(id);
      if (earlier !== undefined) outcome.warnings.push(messages.duplicateId(idKeyOf(entry, mapping), id, earlier));
      appliedNow.set(id, entryNum);
      const pending = upserts.get(id);
      if (pending) {
        for (const key in outcome.patch) setOwn(pending.patch, key, outcome.patch[key]!);
        if (outcome.name !== null) pending.name = outcome.name;
      } else {
        upserts.set(id, { id, name: outcome.name, patch: outcome.patch });
      }
    }
    // Only warnings and failures are stored; SUCCESS rows are derived (storage/imports.ts).
    outcome.warnings.forEach((message, seq) => report.push({ entry_num: entryNum, seq, status: "WARNING", message }));
    if (outcome.failure === undefined) success++;
    else {
      failed++;
      report.push({ entry_num: entryNum, seq: outcome.warnings.length, status: "FAILED", message: outcome.failure });
    }
    if (outcome.warnings.length > 0) warned++;
  });

  return { upserts: [...upserts.values()], report, success, failed, warned, appliedNow };
}

/** Rebuilds `applied` for a resumed import from its entries 1..processed. */
export function appliedIds(
  payloads: Iterable<{ firstEntryNum: number; entries: ReadonlyArray<Record<string, unknown>> }>,
  processed: number,
  mapping: ImportMapping,
  failedEntryNums: ReadonlySet<number>,
): Map<string, number> {
  const noFields = new Map<string, FieldDefinition>();
  const applied = new Map<string, number>();
  for (const { firstEntryNum, entries } of payloads) {
    const count = Math.min(entries.length, processed - firstEntryNum + 1);
    for (let index = 0; index < count; index++) {
      const entryNum = firstEntryNum + index;
      if (failedEntryNums.has(entryNum)) continue;
      const { id } = validateEntry(entries[index]!, mapping, noFields);
      if (id !== undefined) applied.set(id, entryNum);
    }
  }
  return applied;
}
