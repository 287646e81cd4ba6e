import type { ImportFormat } from "../api/types";

export interface ImportOptions {
  all_or_none: boolean;
  unknown_fields: "warn" | "reject";
  empty_values: "ignore" | "clear";
  null_values: "clear" | "ignore";
  decimal_separator: "." | ",";
}

/** The API's defaults; all or none starts off. */
export const DEFAULT_OPTIONS: ImportOptions = { all_or_none: false, unknown_fields: "warn", empty_values: "ignore", null_values: "clear", decimal_separator: "." };

export const takesCells = (format: ImportFormat) => format === "csv" || format === "xlsx";

/** The options as query parameters: only those that differ from the defaults and apply to the format. */
export function optionsQuery(options: ImportOptions, format: ImportFormat): Partial<ImportOptions> {
  const query: Partial<ImportOptions> = {};
  if (options.all_or_none) query.all_or_none = true;
  if (options.unknown_fields !== "warn") query.unknown_fields = options.unknown_fields;
  if (takesCells(format)) {
    if (options.empty_values !== "ignore") query.empty_values = options.empty_values;
    if (options.decimal_separator !== ".") query.decimal_separator = options.decimal_separator;
  } else if (options.null_values !== "clear") {
    query.null_values = options.null_values;
  }
  return query;
}
