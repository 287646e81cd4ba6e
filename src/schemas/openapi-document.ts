import { bearerSecurity } from "./common.js";
import { withFilterParameter, type OpenApiDocument } from "./filter-parameter.js";

// The last touches to the OpenAPI document @fastify/swagger generates from
// the route schemas: rules that hold for every operation alike, written once
// here instead of on each route, so that the document validates as OpenAPI
// 3.0 (test/openapi/) and clients generated from it work.

const BINARY = { type: "string", format: "binary" };

/** Headers the service's shared hooks send, by status (authentication, rate limit, start-up, outages). */
const HOOK_HEADERS: Record<string, Record<string, { description: string; schema: object }>> = {
  "401": { "WWW-Authenticate": { description: "Bearer (RFC 6750)", schema: { type: "string" } } },
  "429": { "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer" } } },
  "503": { "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer" } } },
};

interface Operation {
  parameters?: Array<{ in: string; required?: boolean; schema?: { default?: unknown } }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; headers?: Record<string, unknown>; content?: unknown }>;
}

const ERROR_RESPONSE = { description: "Every 4xx and 5xx answer", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };

export function finishOpenApiDocument(document: OpenApiDocument): OpenApiDocument {
  withFilterParameter(document);
  // Relative: the document describes the server that serves it.
  document.servers = [{ url: "/" }];
  // Every operation needs a token unless it says `security: []` (the login and the probes).
  document.security = bearerSecurity;
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations) as Operation[]) {
      // A parameter with a default is never required of the client: the validator fills it in.
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== "path" && parameter.schema?.default !== undefined) parameter.required = false;
      }
      // JSON is the one structured body; a CSV, NDJSON or XLSX body, or a multipart upload, is a file.
      // (The generator shares one media object between a body's media types: each gets its own.)
      const content = operation.requestBody?.content ?? {};
      for (const mediaType of Object.keys(content)) {
        if (mediaType === "application/json") continue;
        content[mediaType] = {
          schema:
            mediaType === "multipart/form-data"
              ? { type: "object", required: ["file"], properties: { file: { ...BINARY, description: "The file: JSON, CSV, NDJSON or XLSX" } } }
              : BINARY,
        };
      }
      // Any operation answers 400 to a query parameter it does not know (http/strict-query.ts).
      operation.responses ??= {};
      operation.responses["400"] ??= ERROR_RESPONSE;
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (HOOK_HEADERS[status]) response.headers = { ...response.headers, ...HOOK_HEADERS[status] };
      }
    }
  }
  return document;
}
