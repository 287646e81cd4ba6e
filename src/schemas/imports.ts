import { Type } from "@sinclair/typebox";
import { PageQuery, RequestInteger, StringEnum, Timestamp } from "./common.js";

const MappingField = Type.String({ minLength: 1, maxLength: 255 });

export const ImportQuery = Type.Object({
  id_mapping_field: Type.Optional({ ...MappingField, description: "Entry key holding the asset ID (default: id, else uid)" }),
  name_mapping_field: Type.Optional({ ...MappingField, description: "Entry key holding the asset name (default: name)" }),
  dry_run: Type.Boolean({ default: false, description: "Validate and report every entry (with the action it would take); write nothing" }),
  all_or_none: Type.Boolean({ default: false, description: "If any entry fails, write nothing; the report shows why" }),
  unknown_fields: StringEnum(["warn", "reject"], { default: "warn", description: "reject: a key with no such field fails the entry instead of a warning" }),
  null_values: StringEnum(["clear", "ignore"], { default: "clear", description: "ignore: null leaves a field as it is instead of clearing it" }),
  empty_values: StringEnum(["ignore", "clear"], { default: "ignore", description: "CSV and XLSX: clear makes an empty cell clear its field" }),
  delimiter: Type.Optional(StringEnum([",", ";", "tab", "|"], { description: "CSV: the delimiter; detected from the header line when not given" })),
  decimal_separator: StringEnum([".", ","], {
    default: ".",
    description: "CSV and XLSX text cells: the decimal separator of Number, Integer and Decimal values; with ',', '.' may group thousands (1.234,56)",
  }),
  charset: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: "CSV: utf-8 or windows-1252 (latin1); overrides the Content-Type's charset; detected when neither is given" })),
  sheet: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: "XLSX: the sheet to read (default: the first)" })),
  source_name: Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, description: "The file's name, shown with the import (default: a multipart file part's name); a label, not part of the request's identity for Idempotency-Key" }),
  ),
  columns: Type.Optional(
    Type.String({
      minLength: 2,
      maxLength: 65536,
      description:
        'A JSON object mapping a column (an entry key) to the key it is imported as, or to null to leave it out, e.g. {"Serial number":"id","Colour":"color","Notes":null}. ' +
        "Columns it does not name are imported as they are. For CSV and XLSX every named column must be in the header. See docs/import.md.",
    }),
  ),
});

export const IdempotencyHeaders = Type.Object({
  "idempotency-key": Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, description: "Repeating a POST with the same key and body within 24 hours returns the original import" }),
  ),
});

export const ImportEntries = Type.Array(Type.Object({}, { additionalProperties: true }), {
  minItems: 1,
  description:
    "application/json: 1 to 50,000 entries (IMPORT_MAX_ENTRIES), each one flat asset object. Also accepted: text/csv, " +
    "application/x-ndjson, XLSX (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), and multipart/form-data " +
    "with one file part in any of these formats; see docs/import.md.",
  examples: [
    [
      { id: "prod-123", name: "Premium Coffee Beans, 1lb bag", price: 12.99, stock_quantity: 100 },
      { id: "prod-456", name: "Organic Green Tea, 20 bags", price: 8.5, stock_quantity: 50 },
    ],
  ],
});

export const ImportPreviewSchema = Type.Object({
  format: StringEnum(["json", "csv", "ndjson", "xlsx"]),
  delimiter: Type.Optional(StringEnum([",", ";", "tab", "|"], { description: "CSV: the delimiter, given or detected" })),
  charset: Type.Optional(StringEnum(["utf-8", "windows-1252"], { description: "CSV: the charset, given or detected (utf-8 when the part read is ASCII)" })),
  sheets: Type.Optional(Type.Array(Type.String(), { description: "XLSX: the workbook's sheets, in the order of its tabs" })),
  sheet: Type.Optional(Type.String({ description: "XLSX: the sheet read" })),
  columns: Type.Array(
    Type.Object({
      name: Type.String({ description: "The column (entry key) as in the file" }),
      target: Type.Union([Type.String(), Type.Null()], { description: "The key it is suggested to be imported as (its own name when it matches nothing); null: left out (given so in columns, or the import_errors column of a failed-entries download)" }),
      match: StringEnum(["id", "name", "field", "attribute", "none"], { description: "What the target is: the ID, the name, a custom field, an asset attribute, or nothing known (the import warns)" }),
      field_type: Type.Optional(Type.String({ description: "match field: the field's type" })),
      suggested_type: Type.Optional(Type.String({ description: "match none: a field type that all of the column's sampled values fit" })),
    }),
    { description: "The header's columns (CSV, XLSX) or the keys of the entries read, in order" },
  ),
  rows: Type.Array(
    Type.Object({
      entry_num: Type.Integer(),
      line: Type.Optional(Type.Integer({ description: "CSV, NDJSON: the entry's line" })),
      row: Type.Optional(Type.Integer({ description: "XLSX: the entry's row" })),
      entry: Type.Unknown({ description: "The entry as parsed (for a line that cannot be read, its text)" }),
      problem: Type.Optional(Type.String({ description: "Why the entry cannot be read; the import would fail it" })),
    }),
    { description: "The first 20 entries as parsed" },
  ),
  more_rows: Type.Boolean({ description: "Whether the body holds more entries than shown" }),
  suggested_decimal_separator: Type.Optional(
    StringEnum([".", ","], { description: "CSV and XLSX: the decimal_separator that reads every numeric-looking text value sampled, when the other does not" }),
  ),
});

export const REPORT_STATUSES = ["SUCCESS", "WARNING", "FAILED"] as const;

export const IMPORT_STATUSES = ["NOT_STARTED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] as const;

export const ImportStatusSchema = Type.Object({
  import_id: Type.Integer(),
  resource: StringEnum(["assets"]),
  status: StringEnum(IMPORT_STATUSES),
  config: Type.Object({ id_mapping_field: Type.String(), name_mapping_field: Type.String() }),
  format: StringEnum(["json", "csv", "ndjson", "xlsx"]),
  options: Type.Object({
    dry_run: Type.Boolean(),
    all_or_none: Type.Boolean(),
    unknown_fields: Type.String(),
    null_values: Type.String(),
    empty_values: Type.String(),
    decimal_separator: Type.Optional(Type.String({ description: "CSV and XLSX imports only" })),
    columns: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]), { description: "The columns option, when given" })),
  }),
  stats: Type.Object({
    total_count: Type.Integer(),
    success_count: Type.Integer({ description: "Entries imported (in a dry run: that would be), with or without warnings" }),
    failed_count: Type.Integer({ description: "Entries not imported" }),
    warning_count: Type.Integer({ description: "Entries with at least one warning" }),
    in_progress_count: Type.Integer({ description: "Entries not processed yet" }),
    unprocessed_count: Type.Optional(Type.Integer({ description: "Entries a cancelled or failed import never reached (counted in failed_count too); present only then" })),
  }),
  actions: Type.Optional(
    Type.Object(
      {
        created: Type.Integer({ description: "Entries that created an asset (in a dry run: would)" }),
        updated: Type.Integer({ description: "Entries that changed an asset (in a dry run: would)" }),
        unchanged: Type.Integer({ description: "Entries that left their asset as it was" }),
      },
      { description: "What the entries processed so far did; outside stats, which keeps thingsHub's shape. Absent for imports from before it was counted" },
    ),
  ),
  cancel_requested: Type.Boolean(),
  created_by: Type.String({ description: "Who started it: the username, or the API key's name" }),
  source_name: Type.Optional(Type.String({ description: "The file's name, when the client gave one" })),
  created_at: Timestamp,
  import_started_at: Type.Optional(Timestamp),
  import_ended_at: Type.Optional(Timestamp),
  import_duration: Type.Optional(Type.String({ description: "Seconds with a unit, e.g. 1.144s" })),
  error: Type.Optional(Type.String({ description: "Why a FAILED import stopped" })),
});

export const ImportIdParams = Type.Object({ import_id: RequestInteger({ minimum: 1, maximum: 2 ** 31 - 1 }) });

export const ImportListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(StringEnum(IMPORT_STATUSES)),
  dry_run: Type.Optional(Type.Boolean({ description: "true: only dry runs; false: only real imports; both when left out" })),
});

export const ReportQuery = Type.Object({
  ...PageQuery,
  import_id: Type.Optional(RequestInteger({ minimum: 1, maximum: 2 ** 31 - 1, description: "Default: the latest import" })),
  status: Type.Optional(StringEnum(REPORT_STATUSES)),
  problems: Type.Boolean({
    default: false,
    description: "Only the entries' problems: the WARNING and FAILED rows stored for them, in entry order (not the FAILED rows of entries a discarded, cancelled or failed import never imported for that reason); with status, those of one of the two",
  }),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "With problems: only the rows whose message, column or value holds this text, ignoring case" })),
  entry: Type.Optional(
    RequestInteger({
      minimum: 1,
      maximum: 2 ** 31 - 1,
      description: "Only the rows of this entry (its number in the import: entry_num), as the full report has them; not with status, problems or q",
    }),
  ),
  detail: Type.Boolean({
    default: false,
    description: "Also line (CSV, NDJSON) or row (XLSX), column and value on WARNING and FAILED rows: where each problem is. Off by default, so rows keep thingsHub's shape",
  }),
});

export const ReportRowSchema = Type.Object({
  entry_num: Type.Integer({ description: "1-based position of the entry in the submitted array (or file)" }),
  status: StringEnum(REPORT_STATUSES, { description: "An entry has one SUCCESS or FAILED row, after a WARNING row per warning" }),
  message: Type.Optional(Type.String({ description: "WARNING and FAILED rows: why" })),
  action: Type.Optional(StringEnum(["created", "updated", "unchanged"], { description: "SUCCESS rows: what the entry did (in a dry run: would do)" })),
  line: Type.Optional(Type.Integer({ description: "With detail: on WARNING and FAILED rows of CSV and NDJSON imports, the entry's line in the file" })),
  row: Type.Optional(Type.Integer({ description: "With detail: on WARNING and FAILED rows of XLSX imports, the entry's row in the sheet" })),
  column: Type.Optional(Type.String({ description: "With detail: on WARNING and FAILED rows about one key of the entry (a column of a file), that key as sent" })),
  value: Type.Optional(Type.String({ description: "With column: the key's value as sent, as text (JSON for a non-string), cut at 200 characters" })),
});

export const FailedEntriesQuery = Type.Object({
  format: StringEnum(["json", "csv"], { default: "json", description: "json: [{entry_num, line?, errors, entry}]; csv: the entries' keys as columns and an import_errors column" }),
});

export const FailedEntrySchema = Type.Object(
  {
    entry_num: Type.Integer({ description: "1-based position of the entry in the import" }),
    line: Type.Optional(Type.Integer({ description: "CSV and NDJSON files: the entry's line" })),
    row: Type.Optional(Type.Integer({ description: "XLSX files: the entry's row" })),
    errors: Type.Array(Type.String(), { description: "Why it failed" }),
    entry: Type.Object({}, { additionalProperties: true, description: "The entry as it was sent (as read from the file)" }),
  },
  { description: "One entry that failed" },
);
