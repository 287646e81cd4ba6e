import type { LightMyRequestResponse } from "fastify";

// Helpers for the tests that walk the OpenAPI document (test/security/).

export type OpenApiSchema = Record<string, any>;

export interface OpenApiOperation {
  method: string;
  path: string;
  /** "METHOD /path", as the tests name an operation. */
  key: string;
  operation: Record<string, any>;
  /** Names of the {parameters} in the path, in order. */
  pathParams: string[];
  /** The operation's query parameters, from its parameter list. */
  queryParams: Array<{ name: string; schema?: OpenApiSchema }>;
  hasBody: boolean;
}

const METHODS = new Set(["get", "put", "post", "patch", "delete"]);

/** Every operation of the document whose path starts with `prefix`, in document order. */
export function apiOperations(document: OpenApiSchema, prefix = "/api/v4/"): OpenApiOperation[] {
  const operations: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths ?? {})) {
    if (!path.startsWith(prefix)) continue;
    for (const [method, operation] of Object.entries<Record<string, any>>(item)) {
      if (!METHODS.has(method)) continue;
      const parameters: Array<Record<string, any>> = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
      operations.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        operation,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
        queryParams: parameters.filter((p) => p.in === "query").map((p) => ({ name: p.name, schema: p.schema })),
        hasBody: operation.requestBody !== undefined,
      });
    }
  }
  return operations;
}

/**
 * A response's text as a reader would see it: the body, or for an XLSX
 * file (a zip, where text is compressed) the sheet names and cell texts.
 */
export async function responseText(res: LightMyRequestResponse): Promise<string> {
  if (!String(res.headers["content-type"] ?? "").includes("spreadsheetml")) return res.body;
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  // exceljs's types predate Buffer's generic parameter.
  await workbook.xlsx.load(res.rawPayload as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  const texts: string[] = [];
  workbook.eachSheet((sheet) => {
    texts.push(sheet.name);
    sheet.eachRow((row) => row.eachCell((cell) => texts.push(cell.text)));
  });
  return texts.join("\n");
}

/**
 * The operations the OpenAPI document had when the walking tests were
 * written: each test must still reach all of them, so a renamed or lost route
 * fails loudly instead of silently leaving a walk.
 */
export const KNOWN_OPERATIONS = [
  "GET /healthz",
  "GET /readyz",
  "GET /metrics",
  "POST /api/v4/auth/token",
  "DELETE /api/v4/auth/token",
  "GET /api/v4/asset-fields",
  "POST /api/v4/asset-fields",
  "GET /api/v4/asset-fields/{name}",
  "PATCH /api/v4/asset-fields/{name}",
  "DELETE /api/v4/asset-fields/{name}",
  "GET /api/v4/assets",
  "POST /api/v4/assets",
  "GET /api/v4/assets/{id}",
  "PATCH /api/v4/assets/{id}",
  "DELETE /api/v4/assets/{id}",
  "GET /api/v4/assets/next-id",
  "POST /api/v4/assets/{id}/restore",
  "POST /api/v4/assets:batch-create",
  "POST /api/v4/assets:batch-patch",
  "POST /api/v4/assets:batch-get",
  "GET /api/v4/assets/{id}/changes",
  "GET /api/v4/asset-changes",
  "GET /api/v4/assets-export",
  "GET /api/v4/assets-export/{id}",
  "POST /api/v4/assets-import",
  "GET /api/v4/assets-import",
  "GET /api/v4/assets-imports",
  "GET /api/v4/assets-import/full-report",
  "GET /api/v4/assets-import/{import_id}",
  "POST /api/v4/assets-import/{import_id}/cancel",
  "GET /api/v4/assets-import/{import_id}/failed-entries",
  "GET /api/v4/users",
  "POST /api/v4/users",
  "GET /api/v4/users/me",
  "PUT /api/v4/users/me/password",
  "GET /api/v4/users/{user_id}",
  "PATCH /api/v4/users/{user_id}",
  "POST /api/v4/users/{user_id}/password",
  "GET /api/v4/api-keys",
  "POST /api/v4/api-keys",
  "DELETE /api/v4/api-keys/{key_id}",
  "GET /api/v4/tenants",
  "POST /api/v4/tenants",
  "GET /api/v4/audit-events",
];
