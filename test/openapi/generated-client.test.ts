import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { paths } from "../../openapi/schema.js";
import { ADMIN, startTestApp, type TestApp } from "../helpers/app.js";

// Issue 15: a client generated from the service's own OpenAPI document
// (openapi-typescript, openapi-fetch) does the thingsHub import flow and a
// CSV upload over HTTP, and typechecks without a single cast: the document
// says what the service does.

let t: TestApp;
let baseUrl: string;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
afterAll(() => t.close());

async function loggedIn() {
  const anonymous = createClient<paths>({ baseUrl });
  const login = await anonymous.POST("/api/v4/auth/token", { body: { username: ADMIN.username, password: ADMIN.password } });
  if (!login.data) throw new Error(`login failed: ${JSON.stringify(login.error)}`);
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${login.data.token}` } });
}

type Api = Awaited<ReturnType<typeof loggedIn>>;

async function finished(api: Api, importId: number) {
  for (;;) {
    const { data, error } = await api.GET("/api/v4/assets-import/{import_id}", { params: { path: { import_id: importId } } });
    if (!data) throw new Error(JSON.stringify(error));
    if (data.status !== "NOT_STARTED" && data.status !== "RUNNING") return data;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("a client generated from /openapi.json", () => {
  it("logs in, creates a field, imports, polls and reads the report", async () => {
    const api = await loggedIn();
    const field = await api.POST("/api/v4/asset-fields", { body: { name: "price", type: "Decimal", precision: 2 } });
    expect(field.response.status).toBe(201);
    expect(field.data?.name).toBe("price");

    const started = await api.POST("/api/v4/assets-import", {
      params: { query: { dry_run: false } },
      body: [
        { id: "prod-123", name: "Premium Coffee Beans, 1lb bag", price: 12.99 },
        { id: "prod-456", name: "Organic Green Tea, 20 bags", price: "eight" },
      ],
    });
    expect(started.response.status).toBe(202);
    const status = await finished(api, started.data!.import_id);
    expect(status).toMatchObject({ status: "COMPLETED", stats: { total_count: 2, success_count: 2, warning_count: 1, failed_count: 0 } });

    const report = await api.GET("/api/v4/assets-import/full-report", { params: { query: { import_id: status.import_id, status: "WARNING" } } });
    expect(report.data?.collection.map((row) => [row.entry_num, row.status])).toEqual([[2, "WARNING"]]);
    expect(report.data?.collection[0]?.message).toMatch(/price/);

    const asset = await api.GET("/api/v4/assets/{id}", { params: { path: { id: "prod-123" } } });
    expect(asset.data).toMatchObject({ id: "prod-123", price: 12.99 });
    expect(asset.response.headers.get("etag")).toBe('"1"');
  });

  it("uploads a CSV file and reads its failed entries", async () => {
    const api = await loggedIn();
    const started = await api.POST("/api/v4/assets-import", {
      params: { query: { delimiter: ";" } },
      headers: { "content-type": "text/csv" },
      body: "id;name\ncsv-1;Filter papers\n;no id\n",
      bodySerializer: (body) => body,
    });
    expect(started.response.status, JSON.stringify(started.error)).toBe(202);
    const status = await finished(api, started.data!.import_id);
    expect(status).toMatchObject({ format: "csv", stats: { success_count: 1, failed_count: 1 } });
    const failed = await api.GET("/api/v4/assets-import/{import_id}/failed-entries", { params: { path: { import_id: status.import_id } } });
    expect(failed.data).toEqual([{ entry_num: 2, line: 3, errors: [expect.any(String)], entry: { name: "no id" } }]);
  });

  it("gets the errors the document declares", async () => {
    const api = await loggedIn();
    const missing = await api.GET("/api/v4/assets/{id}", { params: { path: { id: "nope" } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toEqual({ code: 404, error: "asset 'nope' not found" });
    const anonymous = await createClient<paths>({ baseUrl }).GET("/api/v4/assets");
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.response.headers.get("www-authenticate")).toBe("Bearer");
  });
});
