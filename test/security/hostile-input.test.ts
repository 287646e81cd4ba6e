import { request } from "node:http";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, fullReport, login, startTestApp, waitForImport, type Client, type TestApp } from "../helpers/app.js";

// Bodies and parameters written to hurt: JSON nested or sized to exhaust the
// parser or the checks after it, bodies over the size limit, keys that name
// Object.prototype's members, sort and filter names that are not fields, and
// download names. Each must be refused with {code, error} (or stored as plain
// data), change nothing it should not, and leave the process as it was.

// Object.prototype as this process started: a request that polluted it would add a key.
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

/** A JSON body sent as written, so that keys such as "__proto__" reach the service verbatim. */
function sendJson(api: Client, method: "POST" | "PATCH", url: string, text: string): Promise<LightMyRequestResponse> {
  return api.request({ method, url, payload: text, headers: { "content-type": "application/json" } });
}

function expectError(res: LightMyRequestResponse, code: number): string {
  expect(res.statusCode, res.body).toBe(code);
  const body = res.json();
  expect(body).toMatchObject({ code, error: expect.any(String) });
  return body.error as string;
}

const importCount = async (api: Client) => (await api.get("/api/v4/assets-imports")).json().total_count as number;
const assetCount = async (api: Client) => (await api.get("/api/v4/assets?include_inactive=true&limit=1")).json().total_count as number;

/** Starts an import from a body as written and waits for it to end. */
async function importText(api: Client, text: string): Promise<Record<string, any>> {
  const res = await sendJson(api, "POST", "/api/v4/assets-import", text);
  expect(res.statusCode, res.body).toBe(202);
  return waitForImport(api, res.json().import_id);
}

const nested = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

interface Hostile {
  name: string;
  /** The entry's JSON text, given its ID. */
  entry: (id: string) => string;
  /** Where the answer must say the problem is, below the entry's own path. */
  where: string;
  /** What the answer must say the problem is. */
  what: RegExp;
}

const manyKeys = (count: number) => Array.from({ length: count }, (_, i) => `"k${i}":${i}`).join(",");

const HOSTILE: Hostile[] = [
  { name: "nesting 10,000 levels deep", entry: (id) => `{"id":"${id}","name":"Deep","x":${nested(10_000)}}`, where: ".x[0][0]", what: /32/ },
  // 1,001 keys with the ID.
  { name: "an object with 1,001 keys", entry: (id) => `{"id":"${id}",${manyKeys(1000)}}`, where: "", what: /1000 keys/ },
  { name: "a string of 1,000,001 characters", entry: (id) => `{"id":"${id}","name":"${"x".repeat(1_000_001)}"}`, where: ".name", what: /1000000/ },
  { name: "a key of 1,000,001 characters", entry: (id) => `{"id":"${id}","${"k".repeat(1_000_001)}":1}`, where: "", what: /key.*1000000|1000000.*key/ },
];

describe("hostile input", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  describe("JSON bodies over the default limits", () => {
    for (const [index, hostile] of HOSTILE.entries()) {
      it(`refuses ${hostile.name} with 400 naming where, on POST /assets and on the import, and creates nothing`, async () => {
        const [imports, assets] = [await importCount(t.api), await assetCount(t.api)];
        const id = `hostile-${index}`;

        const asAsset = expectError(await sendJson(t.api, "POST", "/api/v4/assets", hostile.entry(id)), 400);
        expect(asAsset).toContain(`$${hostile.where}`);
        expect(asAsset).toMatch(hostile.what);

        const asImport = expectError(await sendJson(t.api, "POST", "/api/v4/assets-import", `[${hostile.entry(id)}]`), 400);
        expect(asImport).toContain(`$[0]${hostile.where}`);
        expect(asImport).toMatch(hostile.what);
        // The answer stays readable: a 1,000,001-character key is not echoed back.
        expect(asImport.length).toBeLessThan(1000);

        expect(await importCount(t.api)).toBe(imports);
        expect(await assetCount(t.api)).toBe(assets);
        expect((await t.api.get(`/api/v4/assets/${id}`)).statusCode).toBe(404);
      });
    }

    it("survives a whole body of 1,000,000 nested arrays and of 1,000,000 nested objects", async () => {
      expectError(await sendJson(t.api, "POST", "/api/v4/assets-import", nested(1_000_000)), 400);
      expectError(await sendJson(t.api, "POST", "/api/v4/assets", `${'{"a":'.repeat(1_000_000)}1${"}".repeat(1_000_000)}`), 400);
      expect((await t.app.inject({ url: "/healthz" })).statusCode).toBe(200);
    });

    it("treats an NDJSON line nested 10,000 levels deep as a client mistake, never a 500", async () => {
      const imports = await importCount(t.api);
      const line = `{"id":"ndjson-deep","name":"Deep","x":${nested(10_000)}}`;
      const res = await t.api.request({ method: "POST", url: "/api/v4/assets-import", payload: `${line}\n`, headers: { "content-type": "application/x-ndjson" } });
      expect(res.statusCode, res.body).toBeLessThan(500);
      if (res.statusCode === 202) {
        // Accepted, the line fails or warns on its own; the import still ends.
        expect((await waitForImport(t.api, res.json().import_id)).status).toBe("COMPLETED");
      } else {
        expectError(res, 400);
        expect(await importCount(t.api)).toBe(imports);
      }
      expect((await t.app.inject({ url: "/healthz" })).statusCode).toBe(200);
    });

    it("accepts nesting within the limit: a normal import", async () => {
      // The entry is the array's first level: 30 more stay within 32.
      const entry = `{"id":"within-1","name":"${"n".repeat(255)}","deep":${nested(30)}}`;
      const status = await importText(t.api, `[${entry}]`);
      expect(status).toMatchObject({ status: "COMPLETED", stats: { success_count: 1, failed_count: 0, warning_count: 1 } });
      const report = await fullReport(t.api, `&import_id=${status.import_id}`);
      expect(report).toContainEqual({ entry_num: 1, status: "WARNING", message: "deep: field with name: deep: not found" });
      expect((await t.api.get("/api/v4/assets/within-1")).json().name).toBe("n".repeat(255));
    });
  });

  describe("keys named after Object.prototype's members", () => {
    it("imports entries with __proto__, constructor and prototype keys, each reported as an unknown field", async () => {
      const text = `[
        {"id":"pp-1","name":"Proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":{"polluted":true}},
        {"id":"pp-2","name":"Proto 2","__proto__":{"isAdmin":true,"toString":"x"}}
      ]`;
      const status = await importText(t.api, text);
      expect(status).toMatchObject({ status: "COMPLETED", stats: { total_count: 2, success_count: 2, failed_count: 0, warning_count: 2 } });
      expect(await fullReport(t.api, `&import_id=${status.import_id}`)).toEqual([
        { entry_num: 1, status: "WARNING", message: "__proto__: field with name: __proto__: not found" },
        { entry_num: 1, status: "WARNING", message: "constructor: field with name: constructor: not found" },
        { entry_num: 1, status: "WARNING", message: "prototype: field with name: prototype: not found" },
        expect.objectContaining({ entry_num: 1, status: "SUCCESS" }),
        { entry_num: 2, status: "WARNING", message: "__proto__: field with name: __proto__: not found" },
        expect.objectContaining({ entry_num: 2, status: "SUCCESS" }),
      ]);
      for (const id of ["pp-1", "pp-2"]) {
        const res = await t.api.get(`/api/v4/assets/${id}`);
        expect(res.statusCode).toBe(200);
        expect(res.body).not.toMatch(/__proto__|polluted|isAdmin|"prototype"|"constructor"/);
      }
      expectNoPollution();
    });

    it("leaves the import worker's objects clean: the next import sees only its own keys", async () => {
      // Had the worker's Object.prototype gained "polluted", every `for (key in entry)` would report it.
      const status = await importText(t.api, '[{"id":"pp-after","name":"After"}]');
      expect(status).toMatchObject({ status: "COMPLETED", stats: { success_count: 1, warning_count: 0 } });
      expect(await fullReport(t.api, `&import_id=${status.import_id}`)).toEqual([expect.objectContaining({ entry_num: 1, status: "SUCCESS" })]);
      expect((await t.api.get("/api/v4/assets/pp-after")).body).not.toMatch(/polluted/);
    });

    it("refuses such keys in asset writes with 400 naming them, and changes nothing", async () => {
      const cases: Array<[method: "POST" | "PATCH", url: string, text: string, key: string]> = [
        ["POST", "/api/v4/assets", '{"id":"pp-3","name":"P","__proto__":{"polluted":true}}', "__proto__"],
        ["POST", "/api/v4/assets", '{"id":"pp-3","name":"P","constructor":{"prototype":{"polluted":true}}}', "constructor"],
        ["POST", "/api/v4/assets", '{"id":"pp-3","name":"P","prototype":{"polluted":true}}', "prototype"],
        ["PATCH", "/api/v4/assets/pp-1", '{"__proto__":{"polluted":true,"name":"Changed"}}', "__proto__"],
        ["PATCH", "/api/v4/assets/pp-1", '{"constructor":{"prototype":{"polluted":true}}}', "constructor"],
      ];
      for (const [method, url, text, key] of cases) {
        const error = expectError(await sendJson(t.api, method, url, text), 400);
        expect(error, text).toBe(`${key}: field with name: ${key}: not found`);
      }
      expect((await t.api.get("/api/v4/assets/pp-3")).statusCode).toBe(404);
      expect((await t.api.get("/api/v4/assets/pp-1")).json()).toMatchObject({ name: "Proto", version: 1 });
      expectNoPollution();
    });

    describe("custom fields named __proto__ and constructor", () => {
      // In a tenant of their own: elsewhere in this file these names must stay unknown.
      let api: Client;
      beforeAll(async () => {
        const tenant = await t.api.post("/api/v4/tenants", {
          slug: "proto-fields",
          name: "Proto fields",
          admin: { username: "proto-admin", password: "proto-password-1" },
        });
        expect(tenant.statusCode, tenant.body).toBe(201);
        api = await login(t.app, "proto-admin", "proto-password-1");
        await createField(api, { name: "__proto__", type: "SingleLineText" });
        await createField(api, { name: "constructor", type: "SingleLineText" });
      });

      it("are ordinary fields: listed and read back by name", async () => {
        const names = (await api.get("/api/v4/asset-fields?limit=1000")).json().collection.map((f: { name: string }) => f.name);
        expect(names).toEqual(expect.arrayContaining(["__proto__", "constructor"]));
        for (const name of ["__proto__", "constructor"]) {
          const res = await api.get(`/api/v4/asset-fields/${name}`);
          expect(res.statusCode).toBe(200);
          expect(res.json()).toMatchObject({ name, type: "SingleLineText", system: false });
        }
      });

      it("store and return their values as plain data through POST, PATCH, GET, the list and the export", async () => {
        const created = await sendJson(api, "POST", "/api/v4/assets", '{"id":"pf-1","name":"Named","__proto__":"x","constructor":"y"}');
        expect(created.statusCode, created.body).toBe(201);
        expect(created.body).toContain('"__proto__":"x"');
        expect(created.body).toContain('"constructor":"y"');
        const read = await api.get("/api/v4/assets/pf-1");
        expect(read.body).toContain('"__proto__":"x"');
        expect(read.body).toContain('"constructor":"y"');

        const patched = await sendJson(api, "PATCH", "/api/v4/assets/pf-1", '{"__proto__":"x2","constructor":null}');
        expect(patched.statusCode, patched.body).toBe(200);
        expect(patched.body).toContain('"__proto__":"x2"');
        expect(patched.body).not.toContain('"constructor"');

        const listed = await api.get("/api/v4/assets?filter[__proto__]=x2&order=__proto__");
        expect(listed.statusCode, listed.body).toBe(200);
        expect(listed.json().collection.map((a: { id: string }) => a.id)).toEqual(["pf-1"]);
        expect(listed.body).toContain('"__proto__":"x2"');
        const exported = await api.get("/api/v4/assets-export/pf-1?format=json");
        expect(exported.body).toContain('"__proto__":"x2"');
        expectNoPollution();
      });

      it("import their values, and report an object given for one as a type mismatch", async () => {
        const status = await importText(api, `[
          {"id":"pf-2","name":"Imported","__proto__":"z","constructor":"w"},
          {"id":"pf-3","name":"Object","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}
        ]`);
        expect(status).toMatchObject({ status: "COMPLETED", stats: { success_count: 2, failed_count: 0, warning_count: 1 } });
        expect(await fullReport(api, `&import_id=${status.import_id}`)).toEqual([
          expect.objectContaining({ entry_num: 1, status: "SUCCESS" }),
          { entry_num: 2, status: "WARNING", message: "__proto__: Invalid value found for field '__proto__' of type: 'SingleLineText': bad request" },
          { entry_num: 2, status: "WARNING", message: "constructor: Invalid value found for field 'constructor' of type: 'SingleLineText': bad request" },
          expect.objectContaining({ entry_num: 2, status: "SUCCESS" }),
        ]);
        const imported = await api.get("/api/v4/assets/pf-2");
        expect(imported.body).toContain('"__proto__":"z"');
        expect(imported.body).toContain('"constructor":"w"');
        expect((await api.get("/api/v4/assets/pf-3")).body).not.toMatch(/polluted|__proto__/);
        const csv = await api.get("/api/v4/assets-export?format=csv");
        expect(csv.body.split(/\r?\n/)[0]).toBe("id,name,description,tags,category,status,site_id,__proto__,constructor");
        expect(csv.body).toContain("pf-2,Imported,,,,,,z,w");
        expectNoPollution();
      });
    });
  });

  describe("sort, filter and other query parameters", () => {
    // [query, a word the answer must name]
    const QUERIES: Array<[string, string]> = [
      ["order=__proto__", "__proto__"],
      ["order=constructor", "constructor"],
      ["order=hasOwnProperty", "hasOwnProperty"],
      ["order=name&order2=__proto__", "__proto__"],
      ["filter[__proto__][eq]=1", "__proto__"],
      ["filter[__proto__]=1", "__proto__"],
      ["filter[constructor]=1", "constructor"],
      ["filter[name][__proto__]=1", "__proto__"],
      ["filter[name][constructor]=1", "constructor"],
      ["__proto__=1", "__proto__"],
      ["__proto__[polluted]=1", "__proto__"],
      ["constructor[prototype][polluted]=1", "constructor"],
      ["no_such_parameter=1", "no_such_parameter"],
    ];

    for (const path of ["/api/v4/assets", "/api/v4/assets-export"]) {
      it(`come from an allow-list on ${path}: anything else is a 400 naming it`, async () => {
        for (const [query, word] of QUERIES) {
          const error = expectError(await t.api.get(`${path}?${query}`), 400);
          expect(error, query).toContain(word);
        }
        expectNoPollution();
      });
    }

    it("projects only fields that exist", async () => {
      expect(expectError(await t.api.get("/api/v4/assets?fields=__proto__"), 400)).toContain("__proto__");
      expect(expectError(await t.api.get("/api/v4/assets?fields=name,constructor"), 400)).toContain("constructor");
    });
  });

  describe("downloads", () => {
    const SAFE = /^attachment; filename="[A-Za-z0-9_-][A-Za-z0-9._-]*"$/;

    it("name export files with a safe Content-Disposition", async () => {
      expect((await t.api.post("/api/v4/assets", { id: "dl-1", name: "Download" })).statusCode).toBe(201);
      for (const format of ["csv", "json", "ndjson", "xlsx"]) {
        const all = await t.api.get(`/api/v4/assets-export?format=${format}`);
        expect(all.statusCode).toBe(200);
        expect(all.headers["content-disposition"]).toMatch(SAFE);
        expect(all.headers["content-disposition"]).toMatch(new RegExp(`\\.${format}"$`));
        const one = await t.api.get(`/api/v4/assets-export/dl-1?format=${format}`);
        expect(one.statusCode).toBe(200);
        expect(one.headers["content-disposition"]).toMatch(SAFE);
        expect(one.headers["content-disposition"]).toContain("dl-1");
      }
    });
  });
});

describe("hostile input under tighter limits", () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ JSON_MAX_DEPTH: "4", JSON_MAX_KEYS: "10", JSON_MAX_STRING_LENGTH: "256", MAX_BODY_BYTES: "65536" });
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(() => t?.close());

  it("honours JSON_MAX_DEPTH, JSON_MAX_KEYS and JSON_MAX_STRING_LENGTH: at the limit accepted, one over refused", async () => {
    const imports = await importCount(t.api);
    const keys = (count: number) => Array.from({ length: count - 1 }, (_, i) => `"k${i}":${i}`).join(",");
    const pairs: Array<[ok: string, over: string, where: string]> = [
      // The array, the entry, then two (or three) more levels.
      ['[{"id":"depth-ok","x":[[1]]}]', '[{"id":"depth-over","x":[[[1]]]}]', "$[0].x[0][0]"],
      [`[{"id":"keys-ok",${keys(10)}}]`, `[{"id":"keys-over",${keys(11)}}]`, "$[0]"],
      [`[{"id":"string-ok","note":"${"s".repeat(256)}"}]`, `[{"id":"string-over","note":"${"s".repeat(257)}"}]`, "$[0].note"],
      [`[{"id":"key-ok","${"k".repeat(256)}":1}]`, `[{"id":"key-over","${"k".repeat(257)}":1}]`, "$[0]"],
    ];
    for (const [ok, over, where] of pairs) {
      const accepted = await sendJson(t.api, "POST", "/api/v4/assets-import", ok);
      expect(accepted.statusCode, `${ok.slice(0, 80)}: ${accepted.body}`).toBe(202);
      const error = expectError(await sendJson(t.api, "POST", "/api/v4/assets-import", over), 400);
      expect(error).toContain(where);
    }
    expect(await importCount(t.api)).toBe(imports + pairs.length);
    const asAsset = expectError(await sendJson(t.api, "POST", "/api/v4/assets", `{"id":"tight-1",${keys(11)}}`), 400);
    expect(asAsset).toMatch(/10 keys/);
  });

  /** A POST over a real socket; the body is written until the service answers or stops reading. */
  function postOverSocket(path: string, headers: Record<string, string>, chunks: number): Promise<{ status: number; body: string }> {
    const chunk = Buffer.alloc(1024 * 1024, " ");
    return new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, method: "POST", headers: { authorization: `Bearer ${t.api.token}`, "content-type": "application/json", ...headers } });
      let answered = false;
      req.on("response", (res) => {
        answered = true;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => {
          resolve({ status: res.statusCode!, body });
          req.destroy();
        });
      });
      // The service may close the connection while the client still writes; only a missing answer fails.
      req.on("error", (err) => {
        if (!answered) reject(err);
      });
      void (async () => {
        for (let i = 0; i < chunks && !answered && !req.destroyed; i++) {
          if (!req.write(chunk)) await new Promise((r) => req.once("drain", r).once("close", r));
        }
        if (!req.destroyed) req.end();
      })();
    });
  }

  it("answers a 64 MiB+ body with 413 {code, error}, announced or streamed, and keeps serving", async () => {
    const imports = await importCount(t.api);
    const announced = await postOverSocket("/api/v4/assets-import", { "content-length": String(65 * 1024 * 1024) }, 65);
    expect(announced.status).toBe(413);
    expect(JSON.parse(announced.body)).toMatchObject({ code: 413, error: expect.any(String) });
    const streamed = await postOverSocket("/api/v4/assets", {}, 65);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ code: 413, error: expect.any(String) });

    expect(await importCount(t.api)).toBe(imports);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await t.api.post("/api/v4/assets", { id: "after-413", name: "Still served" })).statusCode).toBe(201);
  });
});
