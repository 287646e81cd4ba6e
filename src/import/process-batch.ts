import type { FieldDefinition } from "../fields/field-types.js";
import type { ReportRow } from "../storage/imports.js";
import { IdIndex } from "./id-index.js";
import { renameKeys, sourceColumns, type ColumnMap } from "./columns.js";
import { idKeyOf, nameKeyOf, type ImportMapping } from "./mapping.js";
import type { EntryChange } from "./plan-writes.js";
import type { Classification } from "../assets/attributes.js";
import { entryId, isValidId, messages, shown, validateEntry, type EntryModel, type EntryRules } from "./validate-entry.js";

/** A slice of an import's entries, as the worker reads them from storage. */
export interface BatchInput {
  entries: ReadonlyArray<unknown>;
  /** Entry number of entries[0]. */
  firstEntryNum: number;
  /** Each entry's line or row in its file (CSV, NDJSON, XLSX). */
  locations?: ReadonlyArray<number>;
  /** Entries the file's parser could not read, by index in `entries`. */
  problems?: Readonly<Record<string, string>>;
  /** "line" or "row": how messages name a location. */
  locationLabel: string;
  /** With the columns option: the column each renamed key came from, for the report. */
  sourceKeys?: ReadonlyMap<string, string>;
}

/** The batch with its entries' keys as the columns option imports them; an entry whose keys collide fails. */
export function withColumns(batch: BatchInput, columns: ColumnMap | undefined): BatchInput {
  if (!columns) return batch;
  const { entries, problems } = renamedEntries(batch.entries, columns);
  return { ...batch, entries, problems: { ...problems, ...batch.problems }, sourceKeys: sourceColumns(columns) };
}

/** Entries renamed by the columns option; one whose keys collide becomes {} with its reason in `problems`. */
export function renamedEntries(entries: ReadonlyArray<unknown>, columns: ColumnMap): { entries: unknown[]; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const renamed = entries.map((entry, index) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return entry;
    const result = renameKeys(entry as Record<string, unknown>, columns);
    if (result.problem === undefined) return result.entry;
    problems[index] = result.problem;
    return {};
  });
  return { entries: renamed, problems };
}

export interface BatchOutcome {
  /** The entries to apply, in entry order. */
  changes: EntryChange[];
  report: ReportRow[];
  /** Index within the batch of each failed entry. */
  failedIndexes: Set<number>;
  success: number;
  failed: number;
  warned: number;
  appliedNow: Map<string, number>;
}

/**
 * Validates a batch of entries into the changes to apply and the report
 * rows that commit with them. `applied` maps each ID imported so far in this
 * import to its latest entry number; the batch's own additions come back in
 * `appliedNow`, to be merged once the batch has committed.
 */
export function processBatch(
  batch: BatchInput,
  mapping: ImportMapping,
  fields: ReadonlyMap<string, FieldDefinition>,
  rules: EntryRules,
  applied: { get(id: string): number | undefined },
  model?: EntryModel,
): BatchOutcome {
  const changes: EntryChange[] = [];
  // An entry sees the category and status the batch's earlier entries left.
  const classified = new Map<string, Classification>();
  const entryModel: EntryModel | undefined = model && { catalog: model.catalog, before: (id) => classified.get(id) ?? model.before(id) };
  const appliedNow = new Map<string, number>();
  const report: ReportRow[] = [];
  const failedIndexes = new Set<number>();
  let success = 0;
  let failed = 0;
  let warned = 0;

  batch.entries.forEach((entry, index) => {
    const entryNum = batch.firstEntryNum + index;
    const problem = batch.problems?.[index];
    const location = batch.locations?.[index];
    const where = location !== undefined ? `${batch.locationLabel} ${location}: ` : "";
    const at = location !== undefined ? { location } : {};
    if (problem !== undefined) {
      failed++;
      failedIndexes.add(index);
      report.push({ entry_num: entryNum, seq: 0, status: "FAILED", message: where + shown(problem), ...at });
      return;
    }
    const record = entry as Record<string, unknown>;
    const outcome = validateEntry(record, mapping, fields, rules, entryModel);
    const about = (message: string) => ({ ...at, ...keyAndValue(message, record, mapping, batch.sourceKeys) });
    const { id } = outcome;
    if (id !== undefined) {
      if (outcome.after) classified.set(id, outcome.after);
      const earlier = appliedNow.get(id) ?? applied.get(id);
      if (earlier !== undefined) outcome.warnings.push(messages.duplicateId(idKeyOf(record, mapping), id, earlier));
      appliedNow.set(id, entryNum);
      changes.push({ index, id, name: outcome.name, patch: outcome.patch });
    }
    // Only warnings and failures are stored; SUCCESS rows are derived (storage/import-report.ts).
    outcome.warnings.forEach((message, seq) => report.push({ entry_num: entryNum, seq, status: "WARNING", message: where + message, ...about(message) }));
    if (outcome.failure === undefined) success++;
    else {
      failed++;
      failedIndexes.add(index);
      report.push({ entry_num: entryNum, seq: outcome.warnings.length, status: "FAILED", message: where + outcome.failure, ...about(outcome.failure) });
    }
    if (outcome.warnings.length > 0) warned++;
  });

  return { changes, report, failedIndexes, success, failed, warned, appliedNow };
}

const MAX_SHOWN_VALUE = 200;

/**
 * The entry key a message is about, as the client sent it (the column
 * before the columns option renamed it), and its value as text. Messages
 * about a key start with it ("size: Invalid value ..."); the ID's and the
 * name's do not name theirs.
 */
function keyAndValue(message: string, record: Record<string, unknown>, mapping: ImportMapping, sourceKeys: ReadonlyMap<string, string> | undefined): { key?: string; value?: string } {
  let key: string | undefined;
  if (message === messages.missingId || message === messages.invalidId) key = idKeyOf(record, mapping);
  else if (message === messages.invalidName) key = nameKeyOf(mapping);
  else {
    for (const candidate in record) if (message.startsWith(`${shown(candidate)}: `) && candidate.length > (key?.length ?? -1)) key = candidate;
  }
  if (key === undefined) return {};
  const raw = Object.hasOwn(record, key) ? record[key] : undefined;
  const text = raw === undefined ? undefined : typeof raw === "string" ? raw : JSON.stringify(raw);
  // Client text, stored: U+0000 and lone surrogates shown escaped, as in messages.
  return { key: shown(sourceKeys?.get(key) ?? key), ...(text !== undefined ? { value: shown(text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}…` : text) } : {}) };
}

/** Rebuilds `applied` for a resumed import from its entries 1..processed. */
export function appliedIds(
  payloads: Iterable<{ firstEntryNum: number; entries: ReadonlyArray<unknown> }>,
  processed: number,
  mapping: ImportMapping,
  failedEntryNums: ReadonlySet<number>,
): IdIndex {
  const applied = new IdIndex();
  for (const { firstEntryNum, entries } of payloads) {
    const count = Math.min(entries.length, processed - firstEntryNum + 1);
    for (let index = 0; index < count; index++) {
      const entryNum = firstEntryNum + index;
      if (failedEntryNums.has(entryNum)) continue;
      const id = batchEntryId(entries[index], mapping);
      if (id !== undefined) applied.set(id, entryNum);
    }
  }
  return applied;
}

/** An entry's ID if it is a valid one (whether the entry as a whole is valid or not). */
export function batchEntryId(entry: unknown, mapping: ImportMapping): string | undefined {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return undefined;
  const record = entry as Record<string, unknown>;
  const id = entryId(record, idKeyOf(record, mapping));
  return typeof id === "string" && isValidId(id) ? id : undefined;
}
