import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import type { FailedEntry } from "../storage/import-report.js";

/**
 * The failed entries as a JSON array, streamed: `{entry_num, line|row,
 * errors, entry}` per entry (`line` for CSV and NDJSON files, `row` for XLSX).
 */
export function failedEntriesJson(entries: AsyncIterable<FailedEntry>, locationKey: string | undefined): Readable {
  return Readable.from(
    (async function* () {
      let first = true;
      yield "[";
      for await (const failed of entries) {
        const item = {
          entry_num: failed.entry_num,
          ...(locationKey !== undefined && failed.location !== undefined ? { [locationKey]: failed.location } : {}),
          errors: failed.errors,
          entry: failed.entry,
        };
        yield (first ? "" : ",\n") + JSON.stringify(item);
        first = false;
      }
      yield "]\n";
    })(),
  );
}

/**
 * The failed entries as CSV, ready to correct and import again: the
 * `leading` columns (the ID's and the name's, so that an entry that failed
 * for a missing ID has a cell to fill in), then one column per other key in
 * the order the keys first appear, then `import_errors`. Two passes over
 * the stored entries: the header needs every key before the first row. An
 * NDJSON line that was no object has no columns to go in: only its reasons
 * appear (the JSON download keeps its text).
 */
export async function failedEntriesCsv(read: () => AsyncIterable<FailedEntry>, leading: readonly string[] = []): Promise<Readable> {
  const keys = new Set<string>(leading);
  for await (const failed of read()) if (isObject(failed.entry)) for (const key of Object.keys(failed.entry)) keys.add(key);
  const columns = [...keys];
  // The reasons' column must not take an entry key's name (a header that
  // repeats a column is refused when the file is imported again).
  let errorsColumn = "import_errors";
  for (let n = 2; keys.has(errorsColumn); n++) errorsColumn = `import_errors_${n}`;
  return Readable.from(
    (async function* () {
      yield stringify([[...columns, errorsColumn]]);
      for await (const failed of read()) {
        const entry = isObject(failed.entry) ? failed.entry : {};
        yield stringify([[...columns.map((key) => cell(Object.hasOwn(entry, key) ? entry[key] : undefined)), failed.errors.join("; ")]]);
      }
    })(),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Arrays (MultiSelect) as the comma-separated text an import accepts; null as empty. */
function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.join(",");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
