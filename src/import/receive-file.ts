import { badRequest } from "../http/errors.js";
import type { FieldDefinition } from "../fields/field-types.js";
import type { Idempotency, ImportRow, NewImport, StoredPayload } from "../storage/imports.js";
import type { Services } from "../services.js";
import { checkSample, SAMPLE_SIZE } from "./accept.js";
import type { ParsedEntry } from "./formats/parsed-entry.js";
import type { ImportMapping } from "./mapping.js";
import type { EntryRules } from "./validate-entry.js";

/** Entries per stored payload of a streamed file: about a megabyte of JSON. */
export const PAYLOAD_ENTRIES = 10_000;

export interface ReceiveContext {
  imports: Services["imports"];
  newImport: NewImport;
  mapping: ImportMapping;
  fields: ReadonlyMap<string, FieldDefinition>;
  rules: EntryRules;
  maxEntries: number;
  now: () => number;
  /** Read once the whole file is in: the body's hash is known only then. */
  idempotency: () => Idempotency | undefined;
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
    let sampled = false;
    let chunk: ParsedEntry[] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      await imports.appendPayload(receiving.id, toPayload(total - chunk.length + 1, chunk), ctx.now());
      chunk = [];
    };
    for await (const parsed of entries) {
      total++;
      if (total > ctx.maxEntries) throw badRequest(`the file has more than ${ctx.maxEntries} entries (IMPORT_MAX_FILE_ENTRIES)`);
      chunk.push(parsed);
      if (!sampled && total === SAMPLE_SIZE) {
        checkSample(chunk, ctx.mapping, ctx.fields, ctx.rules);
        sampled = true;
      }
      if (chunk.length === PAYLOAD_ENTRIES) await flush();
    }
    if (total === 0) throw badRequest("the file has no entries: a header row and at least one row, or at least one line");
    if (!sampled) checkSample(chunk, ctx.mapping, ctx.fields, ctx.rules);
    await flush();
    const result = await imports.accept(receiving.id, ctx.newImport.tenantId, total, ctx.now(), ctx.idempotency());
    accepted = !result.replayed;
    return result;
  } finally {
    if (!accepted) await imports.discardReceived(receiving.id);
  }
}

function toPayload(firstEntryNum: number, chunk: ParsedEntry[]): StoredPayload {
  // An unreadable entry is stored as {} (the worker scans payloads as arrays
  // of objects); its reason and text sit in `problems`.
  const problems: Record<number, [string, unknown]> = {};
  let anyProblem = false;
  chunk.forEach((parsed, index) => {
    if (parsed.problem !== undefined) {
      problems[index] = [parsed.problem, parsed.entry];
      anyProblem = true;
    }
  });
  return {
    first_entry_num: firstEntryNum,
    entry_count: chunk.length,
    entries: JSON.stringify(chunk.map((p) => (p.problem === undefined ? p.entry : {}))),
    locations: JSON.stringify(chunk.map((p) => p.location)),
    problems: anyProblem ? JSON.stringify(problems) : null,
  };
}
