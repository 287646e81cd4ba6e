import { badRequest } from "../http/errors.js";
import type { DecimalSeparator } from "../fields/coerce.js";
import type { ColumnMap } from "./columns.js";

/** How an import treats its entries, beyond the thingsHub mapping. */
export interface ImportOptions {
  /** Validate and report every entry, write nothing. */
  dry_run: boolean;
  /** Write nothing if any entry fails. */
  all_or_none: boolean;
  /** `reject`: a key with no such field fails the entry instead of warning. */
  unknown_fields: "warn" | "reject";
  /** `ignore`: a null leaves the field as it is instead of clearing it. */
  null_values: "clear" | "ignore";
  /** CSV and XLSX: `clear` makes an empty cell clear its field; by default it leaves it as it is. */
  empty_values: "ignore" | "clear";
  /**
   * CSV and XLSX text cells: the decimal separator of Number, Integer and
   * Decimal values. Absent for JSON and NDJSON, whose numbers it does not
   * apply to, and for imports stored before it existed.
   */
  decimal_separator?: DecimalSeparator;
  /** The key each named column (entry key) is imported as; null leaves it out (import/columns.ts). */
  columns?: ColumnMap;
}

export const DEFAULT_OPTIONS: ImportOptions = {
  dry_run: false,
  all_or_none: false,
  unknown_fields: "warn",
  null_values: "clear",
  empty_values: "ignore",
};

export function parseStoredOptions(json: string): ImportOptions {
  return { ...DEFAULT_OPTIONS, ...(JSON.parse(json) as Partial<ImportOptions>) };
}

export type ImportFormat = "json" | "csv" | "ndjson" | "xlsx";

/** The options an import of `format` stores and applies: decimal_separator only where values are spreadsheet text. */
export function optionsFor(format: ImportFormat, options: ImportOptions): ImportOptions {
  if (format === "csv" || format === "xlsx") return options;
  const { decimal_separator, ...rest } = options;
  // Accepted and then ignored, it would promise what it cannot do: JSON numbers have no separator to choose.
  if (decimal_separator === ",") {
    throw badRequest(`decimal_separator=, applies to CSV and XLSX text; a ${format.toUpperCase()} import takes numbers as JSON numbers or as text with a decimal point`);
  }
  return rest;
}

/** How a report message names an entry's place in its file. */
export function locationLabel(format: string): string {
  return format === "xlsx" ? "row" : "line";
}
