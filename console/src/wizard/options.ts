import type { ImportFormat } from "../api/types";

export type DecimalSeparator = "." | ",";

export interface ImportOptions {
  all_or_none: boolean;
  unknown_fields: "warn" | "reject";
  empty_values: "ignore" | "clear";
  null_values: "clear" | "ignore";
  /** null until the user chooses: then the preview's suggestion, else the point. */
  decimal_separator: DecimalSeparator | null;
}

/** The API's defaults; all or none starts off. */
export const DEFAULT_OPTIONS: ImportOptions = { all_or_none: false, unknown_fields: "warn", empty_values: "ignore", null_values: "clear", decimal_separator: null };

/** The decimal separator in effect: the one chosen, else the one the preview detected, else the point. */
export function decimalSeparator(options: ImportOptions, detected: DecimalSeparator | undefined): DecimalSeparator {
  return options.decimal_separator ?? detected ?? ".";
}

export const takesCells = (format: ImportFormat) => format === "csv" || format === "xlsx";

/** The options as query parameters: only those that differ from the defaults and apply to the format. */
export function optionsQuery(options: ImportOptions, format: ImportFormat, detected: DecimalSeparator | undefined): Partial<Omit<ImportOptions, "decimal_separator"> & { decimal_separator: DecimalSeparator }> {
  const query: ReturnType<typeof optionsQuery> = {};
  if (options.all_or_none) query.all_or_none = true;
  if (options.unknown_fields !== "warn") query.unknown_fields = options.unknown_fields;
  if (takesCells(format)) {
    if (options.empty_values !== "ignore") query.empty_values = options.empty_values;
    const decimal = decimalSeparator(options, detected);
    if (decimal !== ".") query.decimal_separator = decimal;
  } else if (options.null_values !== "clear") {
    query.null_values = options.null_values;
  }
  return query;
}
