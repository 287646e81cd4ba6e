import { badRequest } from "../http/errors.js";
import type { AssetCatalog } from "../assets/catalog.js";
import type { FieldDefinition } from "../fields/field-types.js";
import type { Idempotency, ImportRow, NewImport, StoredPayload } from "../storage/imports.js";
import type { Services } from "../services.js";
import { checkSample, SAMPLE_SIZE } from "./accept.js";
import type { ColumnMap } from "./columns.js";
import type { ParsedEntry } from "./formats/parsed-entry.js";
import type { ImportMapping } from "./mapping.js";
import type { EntryRules } from "./validate-entry.js";

/**
 * Entries per stored payload of a streamed file (about 300 KB of JSON). Small
 * payloads die young in V8: with 10,000 the API process peaked 90 MB higher
 * during a 1,000,000-row upload, at the same speed (docs/performance.md).
 */
export const PAYLOAD_ENTRIES = 2_000;

export interface ReceiveContext {
  imports: Services["imports"];
  newImport: NewImport;
  mapping: ImportMapping;
  fields: ReadonlyMap<string, FieldDefinition>;
  rules: EntryRules;
  catalog: AssetCatalog;
  columns?: ColumnMap;
  maxEntries: number;
  now: () => number;
  /** Read once the whole file is in: the body's hash is known only then. */
  idempotency: () => Idempotency | undefined;
  /** Last checks of the request once the file was read (a multipart body's other parts). */
  beforeAccept?: () => Promise<void>;
}

/**
 * Stores a streamed file's entries payload by payload while it is read, so
 * that memory stays bounded whatever the file's size, and queues the import
 * once the whole file was readable: a file refused as a whole (unreadable,
 * too many entries, a sample that all fails) leaves nothing behind.
 */
export async function receiveFile(entries: AsyncIterable<ParsedEntry>, ctx: ReceiveContext): Promise<{ row: ImportRow; replayed: boolean }> {
  const { imports } = ctx;
  const receiving = await imports.begin(ctx.newImport);
  let accepted = false;
  try {
    let total = 0;
    const sample: ParsedEntry[] = [];
    let payload = new PayloadBuilder(1);
    for await (const parsed of entries) {
      total++;
      if (total > ctx.maxEntries) throw badRequest(`the file has more than ${ctx.maxEntries} entries (IMPORT_MAX_FILE_ENTRIES)`);
      if (total <= SAMPLE_SIZE) {
        sample.push(parsed);
        if (total === SAMPLE_SIZE) checkSample(sample, ctx.mapping, ctx.fields, ctx.rules, ctx.catalog, ctx.columns);
      }
      payload.add(parsed);
      if (payload.size === PAYLOAD_ENTRIES) {
        await imports.appendPayload(receiving.id, payload.build(), ctx.now());
        payload = new PayloadBuilder(total + 1);
      }
    }
    if (total === 0) throw badRequest("the file has no entries: a header row and at least one row, or at least one line");
    if (total < SAMPLE_SIZE) checkSample(sample, ctx.mapping, ctx.fields, ctx.rules, ctx.catalog, ctx.columns);
    if (payload.size > 0) await imports.appendPayload(receiving.id, payload.build(), ctx.now());
    await ctx.beforeAccept?.();
    const result = await imports.accept(receiving.id, ctx.newImport.tenantId, total, ctx.now(), ctx.idempotency());
    accepted = !result.replayed;
    return result;
  } finally {
    if (!accepted) await imports.discardReceived(receiving.id);
  }
}

/**
 * One stored payload, serialised entry by entry as the file is read: short
 * strings instead of a chunk of objects that would live long enough to
 * reach V8's old generation.
 */
class PayloadBuilder {
  readonly #entries: string[] = [];
  readonly #locations: number[] = [];
  // An unreadable entry is stored as {} (the worker scans payloads as arrays
  // of objects); its reason and text sit in `problems`.
  readonly #problems: Record<number, [string, unknown]> = {};
  #anyProblem = false;

  constructor(readonly firstEntryNum: number) {}

  get size(): number {
    return this.#entries.length;
  }

  add(parsed: ParsedEntry): void {
    if (parsed.problem === undefined) this.#entries.push(JSON.stringify(parsed.entry));
    else {
      this.#problems[this.#entries.length] = [parsed.problem, parsed.entry];
      this.#anyProblem = true;
      this.#entries.push("{}");
    }
    this.#locations.push(parsed.location);
  }

  build(): StoredPayload {
    return {
      first_entry_num: this.firstEntryNum,
      entry_count: this.#entries.length,
      entries: `[${this.#entries.join(",")}]`,
      locations: JSON.stringify(this.#locations),
      problems: this.#anyProblem ? JSON.stringify(this.#problems) : null,
    };
  }
}
