import type { operations } from "../../../openapi/schema";

// Shapes of the API as the console uses them, all derived from the generated
// OpenAPI types (openapi/schema.d.ts, `npm run openapi`).

/** The JSON an operation answers with (200 unless another code is named). */
export type Json<Op extends keyof operations, Code extends number = 200> = operations[Op]["responses"] extends Record<Code, { content: { "application/json": infer T } }> ? T : never;
/** The JSON body an operation takes. */
export type Body<Op extends keyof operations> = operations[Op] extends { requestBody?: { content: { "application/json": infer T } } } ? T : never;

export type CurrentUser = Json<"getCurrentUser">;
export type Role = "viewer" | "editor" | "admin";

export type Field = Json<"listAssetFields">["collection"][number];
export type FieldType = Field["type"];
export type Category = Json<"listCategories">["collection"][number];
export type StatusSet = Json<"listStatusSets">["collection"][number];
export type Status = StatusSet["statuses"][number];
export type Site = Json<"listSites">["collection"][number];

export type ImportStatus = Json<"getImport">;
export type ImportState = ImportStatus["status"];
export type ImportFormat = ImportStatus["format"];
export type ImportPage = Json<"listImports">;

export type ImportQuery = NonNullable<operations["startImport"]["parameters"]["query"]>;

export type ReportPage = Json<"getImportReport">;
export type ReportRow = ReportPage["collection"][number];
export type ReportStatus = ReportRow["status"];

export const FINAL_STATES: ReadonlySet<ImportState> = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

export function isFinal(status: ImportStatus): boolean {
  return FINAL_STATES.has(status.status);
}

export type Preview = Json<"previewImport">;
export type PreviewColumn = Preview["columns"][number];
export type PreviewRow = Preview["rows"][number];

/** A value of a previewed entry (an entry the service could not read is its text: no values). */
export function previewValue(row: PreviewRow, key: string): unknown {
  return row.entry !== null && typeof row.entry === "object" && !Array.isArray(row.entry) ? (row.entry as Record<string, unknown>)[key] : undefined;
}
