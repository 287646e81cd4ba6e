import type { operations } from "../../../openapi/schema";

import type { Body, Json } from "../api/types";

// Shapes of the registry's admin API, derived from the generated OpenAPI types
// (the catalog's, shared with the other screens, in api/types.ts).

export type { Category, Field, FieldType, Site, Status, StatusSet } from "../api/types";
export type NewField = Body<"createAssetField">;
export type FieldChange = Body<"updateAssetField">;

export type NewCategory = Body<"createCategory">;
export type CategoryChange = Body<"updateCategory">;

export type User = Json<"listUsers">["collection"][number];
export type ApiKey = Json<"listApiKeys">["collection"][number];
export type CreatedApiKey = Json<"createApiKey", 201>;
export type AuditEvent = Json<"listAuditEvents">["collection"][number];
export type AuditEventName = NonNullable<NonNullable<operations["listAuditEvents"]["parameters"]["query"]>["event"]>;
export type Tenant = Json<"listTenants">["collection"][number];

export const ROLES = ["viewer", "editor", "admin"] as const;
