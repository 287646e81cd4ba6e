import { ATTRIBUTE_KEYS, isAttributeKey } from "../assets/attributes.js";
import { coerceValue, type DecimalSeparator } from "../fields/coerce.js";
import type { FieldDefinition, FieldType } from "../fields/field-types.js";
import type { ColumnMap } from "./columns.js";
import type { ImportMapping } from "./mapping.js";

/** What a column is suggested to be imported as. */
export interface ColumnSuggestion {
  name: string;
  /** The key the column is imported as: "id", "name", a field, an attribute, or its own name. */
  target: string | null;
  match: "id" | "name" | "field" | "attribute" | "none";
  /** The type of the field it fills. */
  field_type?: FieldType;
  /** For a column that fills no field: a type its values fit, for a field made from it. */
  suggested_type?: FieldType;
}

/** Lower case, without spaces and punctuation: "Serial No." and "serial_no" meet. */
export function normalisedName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

/**
 * The suggested mapping of a file's columns. It keeps the API's meaning: a
 * column named as the import reads it (id, uid, name, a field, an attribute,
 * or the id_mapping_field and name_mapping_field given) is taken as it is;
 * then a column whose name matches one of those ignoring case, spaces and
 * punctuation is mapped to it, unless another column already fills it; any
 * other column is sent as it is, so that the import warns about it as it
 * would without the console. A mapping given (the columns option) wins.
 */
export function suggestColumns(
  columns: ReadonlyArray<string>,
  fields: ReadonlyMap<string, FieldDefinition>,
  mapping: ImportMapping,
  given: ColumnMap | undefined,
  samples: (column: string) => unknown[],
  decimalSeparator: DecimalSeparator,
): ColumnSuggestion[] {
  const idKeys = mapping.idField !== null ? [mapping.idField] : ["id", "uid"];
  const nameKey = mapping.nameField ?? "name";
  const describe = (name: string, target: string | null): ColumnSuggestion => {
    if (target === null) return { name, target, match: "none" };
    if (idKeys.includes(target)) return { name, target, match: "id" };
    if (target === nameKey) return { name, target, match: "name" };
    const field = fields.get(target);
    if (field) return { name, target, match: "field", field_type: field.type };
    if (isAttributeKey(target)) return { name, target, match: "attribute" };
    return { name, target, match: "none", suggested_type: suggestType(samples(name), decimalSeparator) };
  };
  const exact = (name: string) => idKeys.includes(name) || name === nameKey || fields.has(name) || isAttributeKey(name);
  const taken = new Set(columns.filter((name) => (given && Object.hasOwn(given, name) ? false : exact(name))));
  for (const target of Object.values(given ?? {})) if (target !== null) taken.add(target);

  // The keys a near name can reach, by normalised name; the first key of a normalised name wins.
  const reachable = new Map<string, string>();
  for (const key of [idKeys[0]!, nameKey, ...fields.keys(), ...ATTRIBUTE_KEYS]) if (!reachable.has(normalisedName(key))) reachable.set(normalisedName(key), key);

  return columns.map((name) => {
    if (given && Object.hasOwn(given, name)) return describe(name, given[name]!);
    // The reasons a failed-entries download adds: a file fixed and sent again leaves them out.
    if (FAILED_ENTRY_REASONS.test(name) && !fields.has(name)) return { name, target: null, match: "none" };
    if (exact(name)) return describe(name, name);
    const near = reachable.get(normalisedName(name));
    if (near !== undefined && !taken.has(near)) {
      taken.add(near);
      return describe(name, near);
    }
    return describe(name, name);
  });
}

/** The column of reasons in a failed-entries CSV (import/failed-entries.ts). */
const FAILED_ENTRY_REASONS = /^import_errors(?:_\d+)?$/;

/**
 * The decimal separator the numbers of a file's text cells are written
 * with: the one that reads every numeric-looking sample ("1.234,50",
 * "12,5") when the other does not read them all; undefined when both or
 * neither do (whole numbers, or no numbers at all).
 */
export function suggestDecimalSeparator(values: ReadonlyArray<unknown>): DecimalSeparator | undefined {
  const numeric = values.filter((value): value is string => typeof value === "string" && /^\s*[-+]?[\d.,\s]*\d[\d.,\s]*$/.test(value) && /[.,]/.test(value));
  if (numeric.length === 0) return undefined;
  const reads = (separator: DecimalSeparator) => numeric.every((value) => coerceValue({ name: "", type: "Number" }, value, separator).ok);
  const point = reads(".");
  const comma = reads(",");
  return point === comma ? undefined : comma ? "," : ".";
}

/** Types tried in order: the first that every value fits is suggested. */
const CANDIDATES: FieldType[] = ["Checkbox", "Integer", "Number", "Date", "DateTime", "URL", "Email"];

/** A field type that every sampled value of a column fits; text when none does, or when there are no values. */
export function suggestType(values: ReadonlyArray<unknown>, decimalSeparator: DecimalSeparator): FieldType {
  const given = values.filter((value) => value !== null && value !== undefined && value !== "");
  const text: FieldType = given.some((value) => typeof value === "string" && value.includes("\n")) ? "MultiLineText" : "SingleLineText";
  if (given.length === 0) return text;
  for (const type of CANDIDATES) {
    if (given.every((value) => coerceValue({ name: "", type }, value, decimalSeparator).ok)) return type;
  }
  return text;
}
