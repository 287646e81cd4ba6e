import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

// Every client mistake answers in the {code, error} shape, never a 500.
describe("error shape", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MAX_BODY_BYTES: "4096" });
  });
  afterAll(() => t.close());

  const expectError = (res: { statusCode: number; json(): any }, code: number) => {
    expect(res.statusCode).toBe(code);
    expect(res.json()).toMatchObject({ code, error: expect.any(String) });
  };

  it("404 for unknown paths, authenticated or not", async () => {
    expectError(await t.app.inject({ method: "GET", url: "/nothing/here" }), 404);
    expectError(await t.api.get("/api/v4/nothing"), 404);
  });

  it("405 with Allow for a known path and another method", async () => {
    const res = await t.api.request({ method: "PUT", url: "/api/v4/asset-fields/brand", payload: {} });
    expectError(res, 405);
    expect(res.headers.allow).toMatch(/GET/);
    expect(res.headers.allow).toMatch(/PATCH/);
  });

  it("400 for malformed JSON, an empty JSON body and invalid UTF-8", async () => {
    const json = { "content-type": "application/json" };
    expectError(await t.api.request({ method: "POST", url: "/api/v4/asset-fields", headers: json, payload: '{"name": "x",' }), 400);
    expectError(await t.api.request({ method: "POST", url: "/api/v4/asset-fields", headers: json, payload: "" }), 400);
    const latin1 = Buffer.from('{"name":"M\xfcnchen","type":"Number"}', "latin1");
    const res = await t.api.request({ method: "POST", url: "/api/v4/asset-fields", headers: json, payload: latin1 });
    expectError(res, 400);
    expect(res.json().error).toMatch(/UTF-8/);
  });

  it("accepts a UTF-8 byte order mark", async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name":"München","type":"Number"}')]);
    const res = await t.api.request({ method: "POST", url: "/api/v4/asset-fields", headers: { "content-type": "application/json" }, payload: body });
    expect(res.statusCode).toBe(201);
    expect(res.json().name).toBe("München");
  });

  it("415 for another content type", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      expectError(await t.api.request({ method: "POST", url: "/api/v4/asset-fields", headers: { "content-type": type }, payload: "name=x" }), 415);
    }
  });

  it("413 for a body over MAX_BODY_BYTES", async () => {
    const res = await t.api.post("/api/v4/asset-fields", { name: "x", type: "Number", description: "d".repeat(5000) });
    expectError(res, 413);
  });

  it("400 naming the problem for schema violations", async () => {
    const res = await t.api.post("/api/v4/asset-fields", { type: "Number" });
    expectError(res, 400);
    expect(res.json().error).toMatch(/name/);
  });

  it("lists the allowed values when a value is not one of a fixed set", async () => {
    const res = await t.api.post("/api/v4/asset-fields", { name: "x", type: "Nope" });
    expectError(res, 400);
    expect(res.json().error).toMatch(/^body\/type must be one of SingleLineText, MultiLineText, Number, .*Email$/);
    expect(res.json().details).toHaveLength(1);
    const report = await t.api.get("/api/v4/assets-import/full-report?status=warning");
    expect(report.json().error).toBe("querystring/status must be one of SUCCESS, WARNING, FAILED");
  });

  it("400, never 500, for non-finite or huge paging values and ids", async () => {
    for (const url of [
      "/api/v4/assets?page=Infinity",
      "/api/v4/assets?limit=Infinity",
      "/api/v4/assets?limit=-Infinity",
      "/api/v4/assets?page=1e300",
      "/api/v4/assets?page=99999999999999999999",
      "/api/v4/asset-fields?page=Infinity",
      "/api/v4/asset-fields?limit=Infinity",
      "/api/v4/assets-import/full-report?page=Infinity",
      "/api/v4/assets-import/full-report?import_id=Infinity",
      "/api/v4/assets-import/Infinity",
      "/api/v4/assets-import/99999999999999",
    ]) {
      expectError(await t.api.get(url), 400);
    }
    expectError(await t.api.post("/api/v4/asset-fields", { name: "p", type: "Decimal", precision: "Infinity" }), 400);
  });

  it("400 in the error shape for a malformed percent-encoding", async () => {
    expectError(await t.app.inject({ method: "GET", url: "/%FF" }), 400);
    expectError(await t.api.get("/api/v4/asset-fields/%E0%A4%A"), 400);
  });

  it("reaches fields whose names are up to 255 characters long", async () => {
    const name = "ü".repeat(255);
    expect((await t.api.post("/api/v4/asset-fields", { name, type: "Number" })).statusCode).toBe(201);
    const url = `/api/v4/asset-fields/${encodeURIComponent(name)}`;
    expect((await t.api.get(url)).json().name).toBe(name);
    expect((await t.api.delete(url)).statusCode).toBe(204);
  });

  it("answers requests Node's HTTP parser refuses in the error shape", async () => {
    const { connect } = await import("node:net");
    const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
    const port = Number(new URL(address).port);
    const raw = (request: string) =>
      new Promise<string>((resolve) => {
        let answer = "";
        const socket = connect(port, "127.0.0.1", () => socket.write(request));
        socket.on("data", (chunk) => (answer += chunk));
        socket.on("close", () => resolve(answer));
      });
    const huge = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1.1 431 /);
    expect(JSON.parse(huge.slice(huge.indexOf("\r\n\r\n") + 4))).toEqual({ code: 431, error: "request headers are too large" });
    const garbage = await raw("HELLO\r\n\r\n");
    expect(garbage).toMatch(/^HTTP\/1.1 400 /);
    expect(JSON.parse(garbage.slice(garbage.indexOf("\r\n\r\n") + 4))).toEqual({ code: 400, error: "malformed HTTP request" });
  });

  it("sends the request id back", async () => {
    const res = await t.app.inject({ method: "GET", url: "/healthz", headers: { "x-request-id": "abc-123" } });
    expect(res.headers["x-request-id"]).toBe("abc-123");
  });
});

describe("service endpoints", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("healthz and readyz answer without auth", async () => {
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await t.app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({ status: "ready" });
  });

  it("readyz answers 503 in the error shape when the database is gone", async () => {
    const other = await startTestApp();
    await other.services.database.close();
    const res = await other.app.inject({ method: "GET", url: "/readyz" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ code: 503, error: "database unreachable" });
    await other.close();
  });

  it("serves the OpenAPI document with every API route and Swagger UI", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ["/api/v4/auth/token", "/api/v4/asset-fields", "/api/v4/asset-fields/{name}", "/api/v4/assets", "/api/v4/assets/{id}", "/api/v4/assets-import", "/api/v4/assets-import/{import_id}", "/api/v4/assets-import/full-report", "/api/v4/assets-imports", "/api/v4/assets-import/{import_id}/cancel", "/api/v4/assets-import/{import_id}/failed-entries"]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    expect(doc.paths["/api/v4/assets-import"].post.responses).toHaveProperty("202");
    // Every format the import reads is in the document, with the options.
    expect(Object.keys(doc.paths["/api/v4/assets-import"].post.requestBody.content)).toEqual(expect.arrayContaining(["application/json", "text/csv", "application/x-ndjson", "multipart/form-data"]));
    const parameters = doc.paths["/api/v4/assets-import"].post.parameters.map((p: { name: string }) => p.name);
    expect(parameters).toEqual(expect.arrayContaining(["dry_run", "all_or_none", "unknown_fields", "null_values", "empty_values", "delimiter", "charset", "sheet", "idempotency-key"]));
    const ui = await t.app.inject({ method: "GET", url: "/docs/" });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers["content-type"]).toMatch(/html/);
  });

  it("exposes request counts and latencies by route", async () => {
    await t.api.get("/api/v4/assets");
    const text = (await t.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/api\/v4\/assets",status_code="200"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/v4\/assets"/);
  });
});
