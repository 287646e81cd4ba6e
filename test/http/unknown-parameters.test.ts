import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, runImport, startTestApp, type TestApp } from "../helpers/app.js";
import { apiOperations, KNOWN_OPERATIONS } from "../security/fixtures.js";

// Issue 15, part 1: a query parameter an operation does not know is refused
// with 400, naming it (and the parameter it is a near miss of), before the
// request does anything: no asset, import or change is written.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await createField(t.api, { name: "price", type: "Decimal", precision: 2 });
  await runImport(t.api, [{ id: "a-1", name: "First", price: 1 }]);
});
afterAll(() => t.close());

/** What a refused request must leave as it was. */
async function state() {
  const assets = (await t.api.get("/api/v4/assets?include_inactive=true&limit=1000")).json();
  const imports = (await t.api.get("/api/v4/assets-imports")).json();
  const changes = (await t.api.get("/api/v4/asset-changes?since=0&limit=1000")).json();
  return { assets: assets.collection, imports: imports.total_count, changes: changes.collection };
}

describe("unknown query parameters", () => {
  it("are refused with 400 on every operation of the OpenAPI document, and change nothing", async () => {
    const document = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
    const operations = apiOperations(document, "/");
    expect(operations.map((op) => op.key)).toEqual(expect.arrayContaining(KNOWN_OPERATIONS));
    const before = await state();
    for (const op of operations) {
      const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => (name === "import_id" ? "1" : name === "name" ? "price" : "a-1"));
      const body = op.path === "/api/v4/assets-import" ? [{ id: "typo-1", name: "Written by a typo" }] : op.hasBody ? { id: "typo-1", name: "Written by a typo" } : undefined;
      const res = await t.api.request({ method: op.method as "GET", url: `${path}?zz_not_a_parameter=1`, ...(body ? { payload: body } : {}) });
      expect({ op: op.key, status: res.statusCode, body: res.json() }).toEqual({
        op: op.key,
        status: 400,
        body: expect.objectContaining({ code: 400, error: expect.stringContaining("unknown query parameter 'zz_not_a_parameter'") }),
      });
    }
    expect(await state()).toEqual(before);
  });

  it.each([
    ["POST", "/api/v4/assets-import?dryrun=true", "unknown query parameter 'dryrun'; did you mean dry_run?"],
    ["POST", "/api/v4/assets-import?id_maping_field=vin", "unknown query parameter 'id_maping_field'; did you mean id_mapping_field?"],
    ["GET", "/api/v4/assets-import/full-report?importId=5", "unknown query parameter 'importId'; did you mean import_id?"],
    ["GET", "/api/v4/assets?limt=5", "unknown query parameter 'limt'; did you mean limit?"],
    ["GET", "/api/v4/assets?filters[price]=1", "unknown query parameter 'filters[price]'; did you mean filter[...]?"],
    ["GET", "/api/v4/assets/a-1?version=2", "unknown query parameter 'version': this operation takes no query parameters"],
  ])("%s %s names the near miss", async (method, url, message) => {
    const before = await state();
    const res = await t.api.request({ method: method as "GET", url, ...(method === "POST" ? { payload: [{ id: "typo-2", name: "x" }] } : {}) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 400, error: message });
    expect(await state()).toEqual(before);
  });

  it("lists what the operation takes when nothing is close", async () => {
    const res = await t.api.get("/api/v4/assets-imports?colour=red");
    expect(res.json().error).toBe("unknown query parameter 'colour'; this operation takes: page, limit, status, dry_run");
  });

  it("still accepts every documented parameter", async () => {
    expect((await t.api.get("/api/v4/assets-import/full-report?import_id=1&status=SUCCESS&page=1&limit=10")).statusCode).toBe(200);
    expect((await t.api.get("/api/v4/assets?filter[price][gte]=0&order=price&limit=5")).statusCode).toBe(200);
  });
});

describe("text in paths and queries", () => {
  it.each([
    ["/api/v4/assets?search=a%00b", "query parameter 'search' holds U+0000 (NUL), which cannot be stored"],
    ["/api/v4/assets/a%00b", "path parameter 'id' holds U+0000 (NUL), which cannot be stored"],
    ["/api/v4/asset-fields/x%00", "path parameter 'name' holds U+0000 (NUL), which cannot be stored"],
  ])("%s is refused with 400 alike on both backends", async (url, message) => {
    const res = await t.api.get(url);
    expect(res.json()).toEqual({ code: 400, error: message });
  });

  it("refuses an import whose mapping field holds U+0000 before storing anything", async () => {
    const before = await state();
    const res = await t.api.request({ method: "POST", url: "/api/v4/assets-import?id_mapping_field=i%00d", payload: [{ id: "nul-map", name: "x" }] });
    expect(res.json()).toEqual({ code: 400, error: "query parameter 'id_mapping_field' holds U+0000 (NUL), which cannot be stored" });
    expect(await state()).toEqual(before);
  });

  it("shows at most 100 characters of an unknown parameter's name", async () => {
    const res = await t.api.get(`/api/v4/sites?${"x".repeat(6000)}=1`);
    expect(res.json().error).toBe(`unknown query parameter '${"x".repeat(100)}…'; this operation takes: page, limit`);
  });
});
