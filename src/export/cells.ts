import { ATTRIBUTE_KEYS } from "../assets/attributes.js";
import type { FieldDefinition } from "../fields/field-types.js";

// How one stored value becomes one spreadsheet cell (CSV and XLSX), so that
// the import's readers and coerceValue (src/fields/coerce.ts) give it back.
//
// Known loss, unavoidable in a cell: "" (an empty text value) and [] (an
// empty MultiSelect) are written as an empty cell, which the import reads as
// "no value". JSON and NDJSON keep both.

/** The CSV and XLSX columns: id, name, the attributes, then every custom field in the given order, whether or not an entry holds it. */
export function exportColumns(fields: readonly FieldDefinition[]): string[] {
  return ["id", "name", ...ATTRIBUTE_KEYS, ...fields.map((field) => field.name)];
}

/** An entry's value for a column, or undefined: own keys only, so that a field named "constructor" never finds Object.prototype's. */
export function valueOf(entry: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(entry, key) ? entry[key] : undefined;
}

/**
 * A cell's text, or undefined for an empty cell. Numbers are written with
 * String(n), which reads back as the same double; Checkbox values as
 * "true"/"false"; a MultiSelect as "a,b" (its options cannot hold a comma).
 * Dates and times are the stored strings (YYYY-MM-DD, RFC 3339 in UTC).
 */
export function cellText(value: unknown, formulaProtection: boolean): string | undefined {
  switch (typeof value) {
    case "undefined":
      return undefined;
    case "string":
      return value === "" ? undefined : formulaProtection ? guardFormula(value) : value;
    // Written as numbers, never guarded: "-5" is a number, not a formula.
    case "number":
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    default:
      if (value === null) return undefined;
      if (Array.isArray(value)) return value.length === 0 ? undefined : cellText(value.join(","), formulaProtection);
      throw new TypeError(`an export value must be a string, number, boolean or array of strings, not ${typeof value}`);
  }
}

/**
 * OWASP's CSV-injection advice: text a spreadsheet would start evaluating
 * (= + - @, tab, carriage return) gets a leading apostrophe. The full-width
 * forms are included because some spreadsheets (Apple Numbers) normalise
 * them to the ASCII ones; csv-stringify's `escape_formulas` does the same.
 * It changes the value, which is why the option is off by default.
 */
export function guardFormula(text: string): string {
  switch (text.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // carriage return
    case 0xff1d:
    case 0xff0b:
    case 0xff0d:
    case 0xff20:
      return `'${text}`;
    default:
      return text;
  }
}
