import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, fullReport, runImport, startTestApp, waitForImport, type TestApp } from "../helpers/app.js";

describe("import entry rules", () => {
  let t: TestApp;
  beforeAll(async () => {
    // Batches of 3 entries put duplicates and folds across batch boundaries.
    t = await startTestApp({ IMPORT_BATCH_SIZE: "3" });
    await createField(t.api, { name: "brand", type: "SingleLineText" });
    await createField(t.api, { name: "size", type: "Number" });
    await createField(t.api, { name: "tags2", type: "MultiSelect", options: ["a", "b"] });
  });
  afterAll(() => t.close());

  const get = async (id: string) => (await t.api.get(`/api/v4/assets/${id}`)).json();

  it("upserts: keeps fields the entry leaves out, null clears, a missing name keeps the name", async () => {
    await runImport(t.api, [{ id: "up-1", name: "First", brand: "Dell", size: 13 }]);
    const created = await get("up-1");
    expect(created).toMatchObject({ version: 1, brand: "Dell", size: 13 });

    await runImport(t.api, [{ id: "up-1", size: null }]);
    const cleared = await get("up-1");
    expect(cleared).toMatchObject({ name: "First", brand: "Dell", version: 2 });
    expect(cleared).not.toHaveProperty("size");

    await runImport(t.api, [{ id: "up-1", name: "Renamed" }]);
    expect(await get("up-1")).toMatchObject({ name: "Renamed", brand: "Dell", version: 3 });
  });

  it("names a new asset by its ID when the entry has no name", async () => {
    await runImport(t.api, [{ id: "nameless-1", brand: "HP" }, { id: "nameless-2", name: null }]);
    expect((await get("nameless-1")).name).toBe("nameless-1");
    expect((await get("nameless-2")).name).toBe("nameless-2");
  });

  it("leaves an asset untouched by an entry that changes nothing", async () => {
    await runImport(t.api, [{ id: "same-1", name: "Same", brand: "Dell", size: 1 }]);
    const before = await get("same-1");
    await new Promise((r) => setTimeout(r, 5));
    const status = await runImport(t.api, [{ id: "same-1", name: "Same", brand: "Dell", size: "1" }, { id: "same-1" }]);
    expect(status.stats.success_count).toBe(2);
    expect(await get("same-1")).toEqual(before);
  });

  it("sets version, updated_at and updated_by on a change, never created_at", async () => {
    const before = await get("same-1");
    await new Promise((r) => setTimeout(r, 5));
    await runImport(t.api, [{ id: "same-1", size: 2 }]);
    const after = await get("same-1");
    expect(after.version).toBe(before.version + 1);
    expect(after.created_at).toBe(before.created_at);
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
    expect(after.updated_by).toBe("admin");
  });

  it("applies entries with one ID in order and warns on the later one, naming the earlier", async () => {
    const status = await runImport(t.api, [
      { id: "dup-1", name: "One", brand: "A", size: 1 },
      { id: "other-1" },
      { id: "dup-1", brand: "B" },
      { id: "dup-1", name: "   " },
      { id: "dup-1", size: null, tags2: "a,B" },
      { id: "dup-1", brand: "C" },
    ]);
    expect(status.stats).toMatchObject({ success_count: 5, failed_count: 1, warning_count: 3 });
    const report = await fullReport(t.api);
    expect(report.filter((r) => r.status === "WARNING")).toEqual([
      { entry_num: 3, status: "WARNING", message: "id: ID 'dup-1' was already imported by entry 1; this entry is applied after it" },
      { entry_num: 5, status: "WARNING", message: "id: ID 'dup-1' was already imported by entry 3; this entry is applied after it" },
      { entry_num: 6, status: "WARNING", message: "id: ID 'dup-1' was already imported by entry 5; this entry is applied after it" },
    ]);
    expect(report.find((r) => r.entry_num === 4)).toEqual({ entry_num: 4, status: "FAILED", message: "Invalid name found" });
    const asset = await get("dup-1");
    expect(asset).toMatchObject({ name: "One", brand: "C", tags2: ["a", "b"] });
    expect(asset).not.toHaveProperty("size");
  });

  it("applies the ID rule at its edges", async () => {
    const valid = ["a", "0", "A-1", "prod-123", "x".repeat(63), "Ab9-c8-D7", 42];
    const invalid = ["", " a", "-a", "a-", "a--b", "invalid--123", "Asset 101", "a_b", "ä1", "x".repeat(64), 1.5, -3, true, ["a"], { id: "a" }];
    const entries = [...valid, ...invalid].map((id) => ({ id }));
    const status = await runImport(t.api, entries);
    expect(status.stats).toMatchObject({ success_count: valid.length, failed_count: invalid.length });
    const failed = await fullReport(t.api, "&status=FAILED");
    expect(failed.map((r) => r.entry_num)).toEqual(invalid.map((_, i) => valid.length + i + 1));
    expect(new Set(failed.map((r) => r.message))).toEqual(new Set(["Invalid ID found"]));
    expect((await get("x".repeat(63))).name).toBe("x".repeat(63));
    expect((await get("42")).name).toBe("42");
  });

  it("applies the name rule at its edges", async () => {
    const valid = ["n", " padded ", "x".repeat(255), "😀".repeat(255), 7];
    const invalid = ["", "   ", "\t\n", "x".repeat(256), "😀".repeat(256), true, ["n"], {}];
    const entries = [...valid, ...invalid].map((name, i) => ({ id: `name-edge-${i}`, name }));
    const status = await runImport(t.api, entries);
    expect(status.stats).toMatchObject({ success_count: valid.length, failed_count: invalid.length });
    const failed = await fullReport(t.api, "&status=FAILED");
    expect(failed.every((r) => r.message === "Invalid name found")).toBe(true);
    expect((await get("name-edge-3")).name).toBe("😀".repeat(255));
    expect((await get("name-edge-4")).name).toBe("7");
    expect((await t.api.get("/api/v4/assets/name-edge-5")).statusCode).toBe(404);
  });

  it("reads the ID from uid when id is absent, and warns on the system key not used", async () => {
    await runImport(t.api, [{ uid: "via-uid-1", name: "U" }, { id: "via-id-1", uid: "ignored-1" }]);
    expect((await get("via-uid-1")).name).toBe("U");
    const report = await fullReport(t.api);
    expect(report).toEqual([
      { entry_num: 1, status: "SUCCESS", action: "created" },
      { entry_num: 2, status: "WARNING", message: "uid: 'uid' is a system field and cannot be imported" },
      { entry_num: 2, status: "SUCCESS", action: "created" },
    ]);
    expect((await t.api.get("/api/v4/assets/ignored-1")).statusCode).toBe(404);
  });

  it("warns on id and name when mapping fields name other keys", async () => {
    await runImport(t.api, [{ code: "map-1", title: "Mapped", id: "not-this", name: "nor this", brand: "X" }], "?id_mapping_field=code&name_mapping_field=title");
    expect(await get("map-1")).toMatchObject({ name: "Mapped", brand: "X" });
    expect((await fullReport(t.api, "&status=WARNING")).map((r) => r.message)).toEqual([
      "id: 'id' is a system field and cannot be imported",
      "name: 'name' is a system field and cannot be imported",
    ]);
  });

  it("warns on unknown fields and keeps the rest of the entry", async () => {
    await runImport(t.api, [{ id: "unknown-1", mynewname: "x", Brand: "case differs", brand: "ok" }]);
    expect((await fullReport(t.api, "&status=WARNING")).map((r) => r.message)).toEqual([
      "mynewname: field with name: mynewname: not found",
      "Brand: field with name: Brand: not found",
    ]);
    expect(await get("unknown-1")).toMatchObject({ brand: "ok" });
  });

  it("reads mapping keys as the entry's own keys, even when they are names of Object's members", async () => {
    await runImport(t.api, [{ id: "np-1" }], "?name_mapping_field=constructor");
    expect((await get("np-1")).name).toBe("np-1");
    const res = await t.api.post("/api/v4/assets-import?id_mapping_field=toString", [{ id: "x" }]);
    expect(res.json().details).toEqual([{ entry_num: 1, message: "Missing ID" }]);
  });

  it("treats __proto__ as an ordinary key: a warning, or a field's value", async () => {
    const body = '[{"id":"proto-1","__proto__":{"polluted":true},"brand":"ok"}]';
    const res = await t.api.request({ method: "POST", url: "/api/v4/assets-import", headers: { "content-type": "application/json" }, payload: body });
    expect(res.statusCode).toBe(202);
    await waitForImport(t.api, res.json().import_id);
    expect((await fullReport(t.api, "&status=WARNING")).map((r) => r.message)).toEqual(["__proto__: field with name: __proto__: not found"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    await createField(t.api, { name: "__proto__", type: "SingleLineText" });
    const again = await t.api.request({ method: "POST", url: "/api/v4/assets-import", headers: { "content-type": "application/json" }, payload: '[{"id":"proto-1","__proto__":"kept"}]' });
    await waitForImport(t.api, again.json().import_id);
    const asset = JSON.parse((await t.api.get("/api/v4/assets/proto-1")).body) as Record<string, unknown>;
    expect(Object.hasOwn(asset, "__proto__") && asset["__proto__"]).toBe("kept");
    expect(asset.brand).toBe("ok");
  });

  it("refuses strings with lone surrogates rather than storing them corrupted", async () => {
    const res = await t.api.request({
      method: "POST",
      url: "/api/v4/assets-import",
      headers: { "content-type": "application/json" },
      payload: '[{"id":"lone-1","name":"ok","brand":"a\\ud800b"},{"id":"lone-2","name":"\\ud800"}]',
    });
    const status = await waitForImport(t.api, res.json().import_id);
    expect(status.stats).toMatchObject({ success_count: 1, failed_count: 1, warning_count: 1 });
    expect(await get("lone-1")).not.toHaveProperty("brand");
  });

  it("handles U+0000 per entry, the same on every backend, and never fails the batch", async () => {
    const payload = '[{"id":"nul-1","name":"ok","brand":"x\\u0000y"},{"id":"nul-2","name":"o\\u0000k"},{"id":"nul-3","a\\u0000b":1},{"id":"nul-4","brand":"fine"}]';
    const res = await t.api.request({ method: "POST", url: "/api/v4/assets-import", headers: { "content-type": "application/json" }, payload });
    const status = await waitForImport(t.api, res.json().import_id);
    expect(status.status).toBe("COMPLETED");
    expect(status.stats).toMatchObject({ success_count: 3, failed_count: 1, warning_count: 2 });
    expect((await fullReport(t.api, "&status=WARNING")).map((r) => r.message)).toEqual([
      "brand: Invalid value found for field 'brand' of type: 'SingleLineText': bad request",
      "a\\u0000b: field with name: a\\u0000b: not found",
    ]);
    // The report's detail shows the key and the value escaped alike.
    expect((await fullReport(t.api, "&status=WARNING&detail=true")).map((r) => [r.column, r.value])).toEqual([
      ["brand", "x\\u0000y"],
      ["a\\u0000b", "1"],
    ]);
    expect((await get("nul-4")).brand).toBe("fine");
    for (const url of ["/api/v4/assets/a%00b", "/api/v4/asset-fields/a%00b"]) expect((await t.api.get(url)).statusCode).toBeLessThan(500);
    const login = await t.app.inject({ method: "POST", url: "/api/v4/auth/token", payload: { username: "ad\u0000min", password: "x" } });
    expect(login.statusCode).toBe(400);
  });

  it("is COMPLETED as soon as nothing is left in progress", async () => {
    const res = await t.api.post("/api/v4/assets-import", Array.from({ length: 600 }, (_, i) => ({ id: `end-${i}` })));
    for (;;) {
      const status = (await t.api.get(`/api/v4/assets-import/${res.json().import_id}`)).json();
      if (status.stats.in_progress_count === 0) {
        expect(status.status).toBe("COMPLETED");
        expect(status.import_ended_at).toBeDefined();
        break;
      }
      expect(status.status).not.toBe("COMPLETED");
    }
  });

  it("leaves no value of a field deleted while an import runs", async () => {
    await createField(t.api, { name: "doomed", type: "SingleLineText" });
    const entries = Array.from({ length: 3000 }, (_, i) => ({ id: `doomed-${i}`, doomed: `v${i}` }));
    const res = await t.api.post("/api/v4/assets-import", entries);
    const importId = res.json().import_id;
    for (;;) {
      const stats = (await t.api.get(`/api/v4/assets-import/${importId}`)).json().stats;
      if (stats.in_progress_count < 3000) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    expect((await t.api.delete("/api/v4/asset-fields/doomed")).statusCode).toBe(204);
    const status = await waitForImport(t.api, importId);
    expect(status.stats.success_count).toBe(3000);
    const assets = (await t.api.get("/api/v4/assets?limit=1000&page=1")).json().collection.concat(
      ...(await Promise.all([2, 3, 4, 5, 6].map(async (page) => (await t.api.get(`/api/v4/assets?limit=1000&page=${page}`)).json().collection))),
    );
    expect(assets.filter((a: Record<string, unknown>) => String(a.id).startsWith("doomed-"))).toHaveLength(3000);
    expect(assets.filter((a: Record<string, unknown>) => "doomed" in a)).toEqual([]);
  });

  it("lists a failed entry's warnings before its FAILED row", async () => {
    await runImport(t.api, [{ id: "ok-1" }, { id: "bad id", size: "abc" }]);
    expect(await fullReport(t.api)).toEqual([
      { entry_num: 1, status: "SUCCESS", action: "created" },
      { entry_num: 2, status: "WARNING", message: "size: Invalid value found for field 'size' of type: 'Number': bad request" },
      { entry_num: 2, status: "FAILED", message: "Invalid ID found" },
    ]);
  });
});

describe("import refusals, report and order", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MAX_BODY_BYTES: String(2 * 1024 * 1024) });
    await createField(t.api, { name: "brand", type: "SingleLineText" });
  });
  afterAll(() => t.close());

  it("refuses whole imports with 400/413/415 and changes nothing", async () => {
    const json = { "content-type": "application/json" };
    const post = (payload: string | object, headers: Record<string, string> = json, query = "") =>
      t.api.request({ method: "POST", url: `/api/v4/assets-import${query}`, headers, payload });
    const refusals: Array<[number, Awaited<ReturnType<typeof post>>, RegExp]> = [
      [400, await post("[{\"id\": \"a\"}"), /JSON/],
      [400, await post(Buffer.from('[{"id":"a","name":"M\xfcnchen"}]', "latin1") as unknown as string), /UTF-8/],
      [400, await post({ id: "a" }), /array/],
      [400, await post("[]"), /no entries/],
      [400, await post(JSON.stringify(Array.from({ length: 50_001 }, () => ({})))), /50001 entries; at most 50000/],
      [400, await post('[{"id":"a"}, 5]'), /entry 2 is not a JSON object/],
      [400, await post('[{"id":"a"}, null]'), /entry 2/],
      [400, await post('[{"id":"a"}, ["b"]]'), /entry 2/],
      [400, await post(JSON.stringify(Array.from({ length: 150 }, (_, i) => ({ code: `c-${i}` })))), /Missing ID/],
      [400, await post(JSON.stringify([{ code: "c-1" }]), json, "?id_mapping_field=serial"), /id_mapping_field is 'serial'/],
      [413, await post(JSON.stringify([{ id: "a", brand: "x".repeat(3 * 1024 * 1024) }])), /larger/],
      [415, await post("id\na\n", { "content-type": "application/xml" }), /content type/],
      [401, await t.app.inject({ method: "POST", url: "/api/v4/assets-import", headers: json, payload: "[{\"id\":\"a\"}]" }), /token/],
    ];
    for (const [code, res, message] of refusals) {
      expect(res.statusCode, res.body).toBe(code);
      expect(res.json()).toMatchObject({ code, error: expect.stringMatching(message) });
    }
    expect((await t.api.get("/api/v4/assets-import")).statusCode).toBe(404);
    expect((await t.api.get("/api/v4/assets")).json().total_count).toBe(0);
  });

  it("accepts when some entry of the sample succeeds, even if most fail", async () => {
    const entries = Array.from({ length: 150 }, (_, i) => (i === 99 ? { id: "only-good" } : { name: "no id" }));
    const status = await runImport(t.api, entries);
    expect(status.stats).toMatchObject({ total_count: 150, success_count: 1, failed_count: 149 });
  });

  it("reports the sample refusal's first reasons", async () => {
    const res = await t.api.post("/api/v4/assets-import", [{ id: "bad id" }, { name: "x" }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { entry_num: 1, message: "Invalid ID found" },
      { entry_num: 2, message: "Missing ID" },
    ]);
  });

  it("pages and filters the full report", async () => {
    // 30 entries: every third warns, every fifth fails -> 2 rows for warned ones.
    const entries = Array.from({ length: 30 }, (_, i) => ({
      id: (i + 1) % 5 === 0 ? `bad id ${i}` : `page-${i + 1}`,
      ...((i + 1) % 3 === 0 ? { nope: 1 } : {}),
    }));
    const status = await runImport(t.api, entries);
    expect(status.stats).toEqual({ total_count: 30, success_count: 24, failed_count: 6, warning_count: 10, in_progress_count: 0 });
    const all = await fullReport(t.api);
    expect(all).toHaveLength(40);

    const rows: unknown[] = [];
    for (let page = 1; page <= 5; page++) {
      const body = (await t.api.get(`/api/v4/assets-import/full-report?limit=9&page=${page}`)).json();
      expect(body).toMatchObject({ page, total_count: 40, total_pages: 5, count: page < 5 ? 9 : 4 });
      rows.push(...body.collection);
    }
    expect(rows).toEqual(all);

    const failed = (await t.api.get(`/api/v4/assets-import/full-report?status=FAILED&limit=4&page=2`)).json();
    expect(failed).toMatchObject({ count: 2, total_count: 6, total_pages: 2 });
    expect(failed.collection.map((r: { entry_num: number }) => r.entry_num)).toEqual([25, 30]);
    const warnings = (await t.api.get(`/api/v4/assets-import/full-report?status=WARNING&limit=100`)).json();
    expect(warnings.total_count).toBe(10);
    expect(warnings.collection.every((r: { status: string; message: string }) => r.status === "WARNING" && r.message.startsWith("nope:"))).toBe(true);
    const success = (await t.api.get(`/api/v4/assets-import/full-report?status=SUCCESS&limit=100`)).json();
    expect(success.total_count).toBe(24);

    expect((await t.api.get(`/api/v4/assets-import/full-report?status=DONE`)).statusCode).toBe(400);
    expect((await t.api.get(`/api/v4/assets-import/full-report?import_id=99999`)).statusCode).toBe(404);
    const byId = (await t.api.get(`/api/v4/assets-import/full-report?import_id=${status.import_id}&limit=1`)).json();
    expect(byId.total_count).toBe(40);
  });

  it("runs a tenant's imports one at a time, in the order accepted", async () => {
    await t.worker.stop();
    const first = (await t.api.post("/api/v4/assets-import", [{ id: "order-1", brand: "first" }, { id: "order-2", brand: "first" }])).json();
    const second = (await t.api.post("/api/v4/assets-import", [{ id: "order-1", brand: "second" }])).json();
    expect(first.status).toBe("NOT_STARTED");
    expect(second.status).toBe("NOT_STARTED");
    expect(second.import_id).toBeGreaterThan(first.import_id);
    expect((await t.api.get("/api/v4/assets-import")).json().import_id).toBe(second.import_id);
    await t.worker.start();
    const a = await waitForImport(t.api, first.import_id);
    const b = await waitForImport(t.api, second.import_id);
    expect(Date.parse(b.import_started_at)).toBeGreaterThanOrEqual(Date.parse(a.import_ended_at));
    expect((await t.api.get("/api/v4/assets/order-1")).json()).toMatchObject({ brand: "second", version: 2 });
    expect((await t.api.get("/api/v4/assets/order-2")).json()).toMatchObject({ brand: "first", version: 1 });
  });

  it("answers 404 for an unknown import and 400 for a malformed import id", async () => {
    expect((await t.api.get("/api/v4/assets-import/424242")).statusCode).toBe(404);
    expect((await t.api.get("/api/v4/assets-import/abc")).statusCode).toBe(400);
  });
});

describe("full report paging", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ IMPORT_BATCH_SIZE: "17" });
    for (const name of ["a", "b", "c"]) await createField(t.api, { name, type: "Number" });
  });
  afterAll(() => t.close());

  it("gives every page of every filter as a slice of the whole report", async () => {
    // 0-3 warnings per entry and some failures, in an irregular pattern.
    const entries = Array.from({ length: 120 }, (_, i) => ({
      id: i % 11 === 4 || i % 13 === 0 ? `bad ${i}` : `rep-${i}`,
      ...(i % 3 === 0 ? { a: "x" } : {}),
      ...(i % 5 === 1 ? { b: "y", c: "z" } : {}),
      ...(i % 7 === 2 ? { unknown: 1 } : {}),
    }));
    const status = await runImport(t.api, entries);
    const all = await fullReport(t.api);
    expect(all.filter((r) => r.status !== "WARNING")).toHaveLength(120);
    expect(all.filter((r) => r.status === "FAILED")).toHaveLength(status.stats.failed_count);

    for (const filter of [undefined, "SUCCESS", "WARNING", "FAILED"]) {
      const expected = filter ? all.filter((r) => r.status === filter) : all;
      for (const limit of [1, 4, 7, 50]) {
        const pages = Math.ceil(expected.length / limit);
        for (let page = 1; page <= pages + 1; page++) {
          const body = (await t.api.get(`/api/v4/assets-import/full-report?limit=${limit}&page=${page}${filter ? `&status=${filter}` : ""}`)).json();
          expect(body.total_count).toBe(expected.length);
          expect(body.total_pages).toBe(pages);
          expect(body.collection, `${filter} limit ${limit} page ${page}`).toEqual(expected.slice((page - 1) * limit, page * limit));
        }
      }
    }
  });
});
