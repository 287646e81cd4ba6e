// The export's types, apart from serialise.ts so that the per-format
// modules can share them without importing each other.

export type ExportFormat = "json" | "ndjson" | "csv" | "xlsx";

export interface ExportOptions {
  /** Prefix text cells starting with = + - @ tab CR with `'` (CSV and XLSX only); it changes those values. */
  formulaProtection: boolean;
}

/**
 * An import-ready entry: `{id, name, ...custom values}` exactly as stored
 * (values as src/fields/coerce.ts stores them: string, number, boolean or
 * string[]); a field without a value is absent.
 */
export type ExportEntry = Record<string, unknown>;
