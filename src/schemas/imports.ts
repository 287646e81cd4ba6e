import { Type } from "@sinclair/typebox";
import { PageQuery, RequestInteger, Timestamp } from "./common.js";

const MappingField = Type.String({ minLength: 1, maxLength: 255 });
const choice = (values: string[], options: { default: string; description: string }) =>
  Type.Union(values.map((v) => Type.Literal(v)), options);

export const ImportQuery = Type.Object({
  id_mapping_field: Type.Optional({ ...MappingField, description: "Entry key holding the asset ID (default: id, else uid)" }),
  name_mapping_field: Type.Optional({ ...MappingField, description: "Entry key holding the asset name (default: name)" }),
  dry_run: Type.Boolean({ default: false, description: "Validate and report every entry (with the action it would take); write nothing" }),
  all_or_none: Type.Boolean({ default: false, description: "If any entry fails, write nothing; the report shows why" }),
  unknown_fields: choice(["warn", "reject"], { default: "warn", description: "reject: a key with no such field fails the entry instead of a warning" }),
  null_values: choice(["clear", "ignore"], { default: "clear", description: "ignore: null leaves a field as it is instead of clearing it" }),
  empty_values: choice(["ignore", "clear"], { default: "ignore", description: "CSV and XLSX: clear makes an empty cell clear its field" }),
  delimiter: Type.Optional(Type.Union([",", ";", "tab"].map((v) => Type.Literal(v)), { description: "CSV: the delimiter; detected from the header line when not given" })),
  charset: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: "CSV: utf-8 or windows-1252 (latin1); overrides the Content-Type's charset; detected when neither is given" })),
  sheet: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: "XLSX: the sheet to read (default: the first)" })),
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

export const IMPORT_STATUSES = ["NOT_STARTED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"];

export const ImportStatusSchema = Type.Object({
  import_id: Type.Integer(),
  resource: Type.Literal("assets"),
  status: Type.Union(IMPORT_STATUSES.map((s) => Type.Literal(s))),
  config: Type.Object({ id_mapping_field: Type.String(), name_mapping_field: Type.String() }),
  format: Type.Union(["json", "csv", "ndjson", "xlsx"].map((s) => Type.Literal(s))),
  options: Type.Object({
    dry_run: Type.Boolean(),
    all_or_none: Type.Boolean(),
    unknown_fields: Type.String(),
    null_values: Type.String(),
    empty_values: Type.String(),
  }),
  stats: Type.Object({
    total_count: Type.Integer(),
    success_count: Type.Integer({ description: "Entries imported (in a dry run: that would be), with or without warnings" }),
    failed_count: Type.Integer({ description: "Entries not imported" }),
    warning_count: Type.Integer({ description: "Entries with at least one warning" }),
    in_progress_count: Type.Integer({ description: "Entries not processed yet" }),
    unprocessed_count: Type.Optional(Type.Integer({ description: "Entries a cancelled or failed import never reached (counted in failed_count too); present only then" })),
  }),
  cancel_requested: Type.Boolean(),
  created_at: Timestamp,
  import_started_at: Type.Optional(Timestamp),
  import_ended_at: Type.Optional(Timestamp),
  import_duration: Type.Optional(Type.String({ description: "Seconds with a unit, e.g. 1.144s" })),
  error: Type.Optional(Type.String({ description: "Why a FAILED import stopped" })),
});

export const ImportIdParams = Type.Object({ import_id: RequestInteger({ minimum: 1, maximum: 2 ** 31 - 1 }) });

export const ImportListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(Type.Union(IMPORT_STATUSES.map((s) => Type.Literal(s)))),
});

export const ReportQuery = Type.Object({
  ...PageQuery,
  import_id: Type.Optional(RequestInteger({ minimum: 1, maximum: 2 ** 31 - 1, description: "Default: the latest import" })),
  status: Type.Optional(Type.Union(["SUCCESS", "WARNING", "FAILED"].map((s) => Type.Literal(s)))),
});

export const ReportRowSchema = Type.Object({
  entry_num: Type.Integer({ description: "1-based position of the entry in the submitted array (or file)" }),
  status: Type.String(),
  message: Type.Optional(Type.String()),
  action: Type.Optional(Type.Union(["created", "updated", "unchanged"].map((s) => Type.Literal(s)), { description: "SUCCESS rows: what the entry did (in a dry run: would do)" })),
});

export const FailedEntriesQuery = Type.Object({
  format: choice(["json", "csv"], { default: "json", description: "json: [{entry_num, line?, errors, entry}]; csv: the entries' keys as columns and an import_errors column" }),
});
