import { attributeMessages } from "../assets/attributes.js";
import type { AssetCatalog } from "../assets/catalog.js";
import type { FieldDefinition } from "../fields/field-types.js";
import { badRequest } from "../http/errors.js";
import { renameKeys, type ColumnMap } from "./columns.js";
import type { ParsedEntry } from "./formats/parsed-entry.js";
import type { ImportMapping } from "./mapping.js";
import { validateEntry, type EntryRules } from "./validate-entry.js";

export const SAMPLE_SIZE = 100;

/** Refusals as a whole: anything but a JSON array of 1..max objects. */
export function checkEntries(body: unknown, maxEntries: number): asserts body is Array<Record<string, unknown>> {
  if (!Array.isArray(body)) throw badRequest("the import body must be a JSON array of entries");
  if (body.length === 0) throw badRequest("the import has no entries: send 1 to " + maxEntries);
  if (body.length > maxEntries) {
    throw badRequest(`the import has ${body.length} entries; at most ${maxEntries} are allowed in one import`);
  }
  const bad = body.findIndex((e) => typeof e !== "object" || e === null || Array.isArray(e));
  if (bad !== -1) throw badRequest(`entry ${bad + 1} is not a JSON object`, [{ entry_num: bad + 1, message: "not an object" }]);
}

/**
 * When every entry of the sample (the first 100) would fail, the import is
 * refused with the first reasons: it catches a wrong id_mapping_field before
 * anything is written. A status is not held against an entry here: which
 * statuses it may give depends on the asset's stored category.
 */
export function checkSample(
  sample: ReadonlyArray<Pick<ParsedEntry, "entry" | "problem">>,
  mapping: ImportMapping,
  fields: ReadonlyMap<string, FieldDefinition>,
  rules: EntryRules,
  catalog: AssetCatalog,
  columns?: ColumnMap,
): void {
  const failures: Array<{ entry_num: number; message: string }> = [];
  const model = { catalog, before: () => undefined };
  for (const [index, parsed] of sample.slice(0, SAMPLE_SIZE).entries()) {
    const imported = parsed.problem !== undefined || !columns ? parsed : renameKeys(parsed.entry as Record<string, unknown>, columns);
    const failure = imported.problem ?? validateEntry(imported.entry as Record<string, unknown>, mapping, fields, rules, model).failure;
    if (failure === undefined || failure.startsWith(attributeMessages.status(""))) return;
    failures.push({ entry_num: index + 1, message: failure });
  }
  const first = failures.slice(0, 10);
  const hint = mapping.idField ? ` (id_mapping_field is '${mapping.idField}')` : "";
  throw badRequest(
    `import refused: all ${failures.length} entries of the sample would fail${hint}; first: entry ${first[0]!.entry_num}: ${first[0]!.message}`,
    first,
  );
}
