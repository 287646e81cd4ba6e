import { readFileSync } from "node:fs";
import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOpenApiFiles } from "../../scripts/openapi-files.js";
import { startRuntime } from "../helpers/app.js";
import { apiOperations } from "../security/fixtures.js";

// Issue 15: /openapi.json is valid OpenAPI 3 that real tools accept, and the
// committed document and generated types (openapi/, `npm run openapi`) are
// the ones the routes make.

let document: Record<string, any>;
let close: () => Promise<void>;
beforeAll(async () => {
  const started = await startRuntime();
  close = started.close;
  document = (await started.runtime.app.inject({ method: "GET", url: "/openapi.json" })).json();
});
afterAll(() => close());

const PUBLIC = ["GET /healthz", "GET /readyz", "GET /metrics", "POST /api/v4/auth/token"];

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.0 for @apidevtools/swagger-parser", async () => {
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it("names every operation with a unique operationId", () => {
    const ids = apiOperations(document, "/").map((op) => op.operation.operationId);
    expect(ids.filter((id) => typeof id !== "string")).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("asks for a token everywhere except the login and the probes, which say security: []", () => {
    expect(document.security).toEqual([{ bearer: [] }]);
    const open = apiOperations(document, "/").filter((op) => Array.isArray(op.operation.security) && op.operation.security.length === 0);
    expect(open.map((op) => op.key).sort()).toEqual([...PUBLIC].sort());
  });

  it("declares defaulted parameters as optional, choices as enums, and files as binary", () => {
    const operations = apiOperations(document, "/");
    const required = operations.flatMap((op) =>
      (op.operation.parameters ?? []).filter((p: any) => p.in === "query" && p.required && p.schema?.default !== undefined).map((p: any) => `${op.key} ${p.name}`),
    );
    expect(required).toEqual([]);
    expect(JSON.stringify(document)).not.toMatch(/"const":/);
    const start = document.paths["/api/v4/assets-import"].post;
    expect(start.parameters.find((p: any) => p.name === "unknown_fields").schema).toMatchObject({ type: "string", enum: ["warn", "reject"] });
    expect(start.requestBody.content["text/csv"].schema).toEqual({ type: "string", format: "binary" });
    expect(start.requestBody.content["multipart/form-data"].schema.properties.file).toMatchObject({ type: "string", format: "binary" });
    expect(start.requestBody.content["application/json"].schema.type).toBe("array");
    expect(Object.keys(start.responses["202"].headers)).toEqual(["Idempotent-Replayed"]);
  });

  it("declares the headers answers carry", () => {
    const headers = (path: string, method: string, status: string) => Object.keys(document.paths[path][method].responses[status].headers ?? {});
    expect(headers("/api/v4/assets/{id}", "get", "200")).toEqual(["ETag"]);
    expect(headers("/api/v4/assets", "post", "201")).toEqual(["ETag", "Location"]);
    expect(headers("/api/v4/assets-export", "get", "200")).toEqual(["Content-Disposition"]);
    expect(headers("/api/v4/assets", "get", "401")).toEqual(["WWW-Authenticate"]);
    expect(headers("/api/v4/assets", "get", "429")).toEqual(["Retry-After"]);
    expect(headers("/readyz", "get", "503")).toEqual(["Retry-After"]);
    const exported = document.paths["/api/v4/assets-export"].get.responses["200"].content;
    expect(exported["application/json"].schema.type).toBe("array");
    expect(exported["text/csv"].schema).toEqual({ type: "string", format: "binary" });
    const failed = document.paths["/api/v4/assets-import/{import_id}/failed-entries"].get.responses["200"].content["application/json"].schema;
    expect(failed.items.required).toEqual(["entry_num", "errors", "entry"]);
  });

  it("is what openapi/ holds: run `npm run openapi` after changing a route", async () => {
    const files = await generateOpenApiFiles();
    const root = new URL("../../openapi/", import.meta.url);
    expect(readFileSync(new URL("openapi.json", root), "utf8")).toBe(files.document);
    expect(readFileSync(new URL("schema.d.ts", root), "utf8")).toBe(files.types);
  });
});
