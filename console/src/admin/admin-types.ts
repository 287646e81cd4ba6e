import type { operations } from "../../../openapi/schema";

// Shapes of the registry's admin API, derived from the generated OpenAPI types.

type Json<Op extends keyof operations, Code extends number = 200> = operations[Op]["responses"] extends Record<Code, { content: { "application/json": infer T } }> ? T : never;
type Body<Op extends keyof operations> = operations[Op] extends { requestBody?: { content: { "application/json": infer T } } } ? T : never;

export type Field = Json<"listAssetFields">["collection"][number];
export type FieldType = Field["type"];
export type NewField = Body<"createAssetField">;
export type FieldChange = Body<"updateAssetField">;

export type Category = Json<"listCategories">["collection"][number];
export type NewCategory = Body<"createCategory">;
export type CategoryChange = Body<"updateCategory">;

export type StatusSet = Json<"listStatusSets">["collection"][number];
export type Status = StatusSet["statuses"][number];

export type Site = Json<"listSites">["collection"][number];
export type User = Json<"listUsers">["collection"][number];
export type ApiKey = Json<"listApiKeys">["collection"][number];
export type CreatedApiKey = Json<"createApiKey", 201>;
export type AuditEvent = Json<"listAuditEvents">["collection"][number];
export type AuditEventName = NonNullable<NonNullable<operations["listAuditEvents"]["parameters"]["query"]>["event"]>;
export type Tenant = Json<"listTenants">["collection"][number];

export const ROLES = ["viewer", "editor", "admin"] as const;
