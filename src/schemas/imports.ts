import { Type } from "@sinclair/typebox";
import { PageQuery, RequestInteger, Timestamp } from "./common.js";

const MappingField = Type.String({ minLength: 1, maxLength: 255 });

export const ImportQuery = Type.Object({
  id_mapping_field: Type.Optional({ ...MappingField, description: "Entry key holding the asset ID (default: id, else uid)" }),
  name_mapping_field: Type.Optional({ ...MappingField, description: "Entry key holding the asset name (default: name)" }),
});

export const ImportEntries = Type.Array(Type.Object({}, { additionalProperties: true }), {
  minItems: 1,
  description: "1 to 50,000 entries (IMPORT_MAX_ENTRIES), each one flat asset object",
  examples: [
    [
      { id: "prod-123", name: "Premium Coffee Beans, 1lb bag", price: 12.99, stock_quantity: 100 },
      { id: "prod-456", name: "Organic Green Tea, 20 bags", price: 8.5, stock_quantity: 50 },
    ],
  ],
});

export const ImportStatusSchema = Type.Object({
  import_id: Type.Integer(),
  resource: Type.Literal("assets"),
  status: Type.Union(["NOT_STARTED", "RUNNING", "COMPLETED", "FAILED"].map((s) => Type.Literal(s))),
  config: Type.Object({ id_mapping_field: Type.String(), name_mapping_field: Type.String() }),
  stats: Type.Object({
    total_count: Type.Integer(),
    success_count: Type.Integer({ description: "Entries imported, with or without warnings" }),
    failed_count: Type.Integer({ description: "Entries not imported" }),
    warning_count: Type.Integer({ description: "Entries with at least one warning" }),
    in_progress_count: Type.Integer({ description: "Entries not processed yet" }),
  }),
  created_at: Timestamp,
  import_started_at: Type.Optional(Timestamp),
  import_ended_at: Type.Optional(Timestamp),
  import_duration: Type.Optional(Type.String({ description: "Seconds with a unit, e.g. 1.144s" })),
  error: Type.Optional(Type.String({ description: "Why a FAILED import stopped" })),
});

export const ImportIdParams = Type.Object({ import_id: RequestInteger({ minimum: 1, maximum: 2 ** 31 - 1 }) });

export const ReportQuery = Type.Object({
  ...PageQuery,
  import_id: Type.Optional(RequestInteger({ minimum: 1, maximum: 2 ** 31 - 1, description: "Default: the latest import" })),
  status: Type.Optional(Type.Union(["SUCCESS", "WARNING", "FAILED"].map((s) => Type.Literal(s)))),
});

export const ReportRowSchema = Type.Object({
  entry_num: Type.Integer({ description: "1-based position of the entry in the submitted array" }),
  status: Type.String(),
  message: Type.Optional(Type.String()),
});
