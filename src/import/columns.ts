import type { FieldDefinition } from "../fields/field-types.js";
import { badRequest } from "../http/errors.js";
import { setOwn, shown } from "./validate-entry.js";

/**
 * The `columns` option: a file column (an entry key) -> the key it is
 * imported as, or null to leave it out. Columns it does not name are
 * imported under their own names, so that a key matching no field warns as
 * it would without the option. The entries are stored as sent; the mapping
 * applies when they are validated, so failed entries come back as they were.
 */
export type ColumnMap = Readonly<Record<string, string | null>>;

const MAX_COLUMNS = 1_000;
const MAX_KEY_CHARS = 255;

/** The query parameter's JSON object, checked; undefined when not given. */
export function parseColumns(text: string | undefined): ColumnMap | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`columns is not valid JSON: ${(err as Error).message}; send an object such as {"Serial number":"id","Colour":"color","Notes":null}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest(`columns must be a JSON object of column -> the key it is imported as (or null to leave it out), such as {"Serial number":"id"}`);
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_COLUMNS) throw badRequest(`columns names ${entries.length} columns; at most ${MAX_COLUMNS}`);
  const taken = new Map<string, string>();
  const columns: Record<string, string | null> = {};
  for (const [column, target] of entries) {
    if (column === "" || column.length > MAX_KEY_CHARS) throw badRequest(`columns: a column name must be 1 to ${MAX_KEY_CHARS} characters`);
    if (target !== null && (typeof target !== "string" || target === "" || target.length > MAX_KEY_CHARS)) {
      throw badRequest(`columns: '${shown(column)}' must map to a key of 1 to ${MAX_KEY_CHARS} characters, or to null to leave it out`);
    }
    if (target !== null) {
      const other = taken.get(target);
      if (other !== undefined) throw badRequest(`columns maps both '${shown(other)}' and '${shown(column)}' to '${shown(target)}': one column per key`);
      taken.set(target, column);
    }
    setOwn(columns, column, target);
  }
  return columns;
}

/**
 * Refuses a mapping that does not fit a file's header: a column the header
 * does not have (a typo would otherwise do nothing), or a column mapped onto
 * a key that another column of the header, left as it is, already fills.
 */
export function checkColumnsFit(columns: ColumnMap, header: ReadonlyArray<string>): void {
  const present = new Set(header);
  const missing = Object.keys(columns).filter((column) => !present.has(column));
  if (missing.length > 0) {
    const list = header.length > 20 ? `${header.slice(0, 20).join(", ")}, …` : header.join(", ");
    throw badRequest(`columns names ${missing.map((c) => `'${shown(c)}'`).join(", ")}, which the file's header does not have (it has: ${list})`);
  }
  for (const [column, target] of Object.entries(columns)) {
    if (target !== null && target !== column && present.has(target) && !Object.hasOwn(columns, target)) {
      throw badRequest(`columns maps '${shown(column)}' to '${shown(target)}', and the file has a column '${shown(target)}' too: map or leave out that one as well`);
    }
  }
}

/** An entry's keys as they are imported; a reason instead when two of its keys would land on one. */
export function renameKeys(entry: Record<string, unknown>, columns: ColumnMap): { entry: Record<string, unknown>; problem?: never } | { entry?: never; problem: string } {
  const renamed: Record<string, unknown> = {};
  const from = new Map<string, string>();
  for (const key in entry) {
    const target = Object.hasOwn(columns, key) ? columns[key]! : key;
    if (target === null) continue;
    const earlier = from.get(target);
    if (earlier !== undefined) {
      const [mapped, own] = earlier === target ? [key, earlier] : [earlier, key];
      return { problem: `columns maps '${shown(mapped)}' to '${shown(target)}', and the entry has '${shown(own)}' too` };
    }
    from.set(target, key);
    setOwn(renamed, target, entry[key]);
  }
  return { entry: renamed };
}

/** The column each imported key came from, for the report. */
export function sourceColumns(columns: ColumnMap): ReadonlyMap<string, string> {
  const sources = new Map<string, string>();
  for (const [column, target] of Object.entries(columns)) if (target !== null) sources.set(target, column);
  return sources;
}

/** The fields by the column that fills each, for a reader that types cells by their field (XLSX). */
export function fieldsByColumn(fields: ReadonlyMap<string, FieldDefinition>, columns: ColumnMap): ReadonlyMap<string, FieldDefinition> {
  const byColumn = new Map(fields);
  for (const [column, target] of Object.entries(columns)) {
    const field = target === null ? undefined : fields.get(target);
    if (field) byColumn.set(column, field);
    else byColumn.delete(column);
  }
  return byColumn;
}
