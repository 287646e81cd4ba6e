import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, startTestApp, type TestApp } from "../helpers/app.js";

// The assets API's writes: create, merge patch with If-Match, soft delete,
// restore, the next free ID of a series, and two conditional writes racing.

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const A = "/api/v4/assets";

const FIELDS = [
  { name: "qty", type: "Integer" },
  { name: "price", type: "Decimal", precision: 2 },
  { name: "ok", type: "Checkbox" },
  { name: "label", type: "SingleLineText" },
  { name: "bought", type: "Date" },
  { name: "extras", type: "MultiSelect", options: ["wifi", "gps", "lte"] },
];

describe("asset writes", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (const f of FIELDS) await createField(t.api, f);
  });
  afterAll(() => t.close());

  const get = async (id: string) => t.api.get(`${A}/${id}`);
  const create = async (body: Record<string, unknown>) => {
    const res = await t.api.post(A, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const historyCount = async (id: string) => (await t.api.get(`${A}/${id}/changes`)).json().total_count as number;
  const ifMatch = (method: "PATCH" | "DELETE" | "POST", url: string, value: string, payload?: object) =>
    t.api.request({ method, url, headers: { "if-match": value }, ...(payload ? { payload } : {}) });

  describe("POST /assets", () => {
    it("creates the asset at version 1 with ETag and Location, coercing values as the import does", async () => {
      const res = await t.api.post(A, { id: "prod-1", name: "Coffee", qty: "13", price: "12.99", ok: "true", bought: "2024-05-01", extras: ["gps"] });
      expect(res.statusCode).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.headers.location).toBe(`${A}/prod-1`);
      const asset = res.json();
      expect(asset).toEqual({
        id: "prod-1",
        uid: expect.any(String),
        name: "Coffee",
        qty: 13,
        price: 12.99,
        ok: true,
        bought: "2024-05-01",
        extras: ["gps"],
        created_at: expect.stringMatching(TIME),
        created_by: "admin",
        updated_at: asset.created_at,
        updated_by: "admin",
        version: 1,
        is_active: true,
        deleted_at: null,
        description: null,
        tags: [],
        category: null,
        status: null,
        site_id: null,
        site_name: null,
      });
      const read = await get("prod-1");
      expect(read.json()).toEqual(asset);
      expect(read.headers.etag).toBe('"1"');
    });

    it("names the asset by its ID when no name is given", async () => {
      expect(await create({ id: "no-name-1", qty: 1 })).toMatchObject({ id: "no-name-1", name: "no-name-1", qty: 1, version: 1 });
      expect(await create({ id: "no-name-2", name: null })).toMatchObject({ name: "no-name-2" });
    });

    // "next-id" is a valid ID, but GET /assets/next-id is the series route
    // (the path the brief names): such an asset is read through the list (docs/assets.md).
    it("keeps an asset whose ID is next-id readable through the list", async () => {
      const res = await t.api.post(A, { id: "next-id", name: "Clash" });
      expect(res.statusCode).toBe(201);
      expect((await t.api.get(`${A}?ids=next-id`)).json().collection).toEqual([res.json()]);
      expect((await t.api.get(`${A}/next-id`)).json()).toEqual({ prefix: "", next_id: "1" });
    });

    it("answers 409 for an ID that exists, and says to restore an ID that is deleted", async () => {
      await create({ id: "dup-1", qty: 1 });
      const again = await t.api.post(A, { id: "dup-1", qty: 2 });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toEqual({ code: 409, error: "asset 'dup-1' exists" });
      expect((await get("dup-1")).json()).toMatchObject({ qty: 1, version: 1 });

      expect((await t.api.delete(`${A}/dup-1`)).statusCode).toBe(204);
      const deleted = await t.api.post(A, { id: "dup-1", qty: 3 });
      expect(deleted.statusCode).toBe(409);
      expect(deleted.json().code).toBe(409);
      expect(deleted.json().error).toMatch(/^asset 'dup-1' exists and is deleted: restore it/);
      expect((await get("dup-1")).json()).toMatchObject({ qty: 1, version: 2, is_active: false });
    });

    it.each<[string, Record<string, unknown>, string]>([
      ["no ID", { name: "x" }, "Missing ID"],
      ["a null ID", { id: null }, "Missing ID"],
      ["an ID with a space", { id: "Asset 101" }, "Invalid ID found"],
      ["an ID with --", { id: "invalid--123" }, "Invalid ID found"],
      ["an ID ending in -", { id: "bad-" }, "Invalid ID found"],
      ["an ID of 64 characters", { id: "a".repeat(64) }, "Invalid ID found"],
      ["an ID that is an object", { id: { x: 1 } }, "Invalid ID found"],
      ["an empty name", { id: "bad-name-1", name: "" }, "Invalid name found"],
      ["a blank name", { id: "bad-name-2", name: "   " }, "Invalid name found"],
      ["a name of 256 characters", { id: "bad-name-3", name: "n".repeat(256) }, "Invalid name found"],
      ["a name that is not text", { id: "bad-name-4", name: ["x"] }, "Invalid name found"],
      ["an unknown key", { id: "bad-key-1", nope: 1 }, "nope: field with name: nope: not found"],
      ["the system key uid", { id: "bad-key-2", uid: "u" }, "uid: 'uid' is a system field and cannot be imported"],
      ["the system key version", { id: "bad-key-3", version: 7 }, "version: 'version' is a system field and cannot be imported"],
      ["the system key is_active", { id: "bad-key-4", is_active: false }, "is_active: 'is_active' is a system field and cannot be imported"],
      ["text for an Integer", { id: "bad-val-1", qty: "abcd" }, "qty: Invalid value found for field 'qty' of type: 'Integer': bad request"],
      ["a fraction for an Integer", { id: "bad-val-2", qty: 1.5 }, "qty: Invalid value found for field 'qty' of type: 'Integer': bad request"],
      ["yes for a Checkbox", { id: "bad-val-3", ok: "yes" }, "ok: Invalid value found for field 'ok' of type: 'Checkbox': bad request"],
      ["a bad Date", { id: "bad-val-4", bought: "2024-13-01" }, "bought: Invalid value found for field 'bought' of type: 'Date': bad request"],
      ["an unknown option", { id: "bad-val-5", extras: ["fax"] }, "extras: Invalid value found for field 'extras' of type: 'MultiSelect': bad request"],
    ])("refuses %s with 400 and writes nothing", async (_, body, message) => {
      const before = (await t.api.get(`${A}?include_inactive=true&limit=1`)).json().total_count;
      const res = await t.api.post(A, body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 400, error: message, details: expect.arrayContaining([expect.objectContaining({ message })]) });
      expect((await t.api.get(`${A}?include_inactive=true&limit=1`)).json().total_count).toBe(before);
      if (typeof body.id === "string") expect((await get(body.id)).statusCode).toBe(404);
    });

    it("answers 400, never 500, for a body that is not an asset object", async () => {
      for (const payload of ['[{"id":"arr-1"}]', '"arr-1"', "null", '{"id":"proto-1","__proto__":{"x":1}}', '{"id":"proto-2","constructor":1}']) {
        const res = await t.api.request({ method: "POST", url: A, payload, headers: { "content-type": "application/json" } });
        expect(res.statusCode, payload).toBe(400);
        expect(res.json().code).toBe(400);
      }
      expect((await get("proto-1")).statusCode).toBe(404);
      expect((await get("proto-2")).statusCode).toBe(404);
    });

    it("lists every problem of the body in details", async () => {
      const res = await t.api.post(A, { id: "many-1", uid: "u", qty: "abcd", ok: "yes" });
      expect(res.statusCode).toBe(400);
      const messages = (res.json().details as Array<{ message: string }>).map((d) => d.message);
      expect(messages.sort()).toEqual(
        [
          "uid: 'uid' is a system field and cannot be imported",
          "qty: Invalid value found for field 'qty' of type: 'Integer': bad request",
          "ok: Invalid value found for field 'ok' of type: 'Checkbox': bad request",
        ].sort(),
      );
      expect((await get("many-1")).statusCode).toBe(404);
    });

    it("lists every unknown key in details, not only the first", async () => {
      const res = await t.api.post(A, { id: "many-2", nope: 1, nada: 2, qty: "abcd" });
      expect(res.statusCode).toBe(400);
      const messages = (res.json().details as Array<{ message: string }>).map((d) => d.message);
      expect(messages).toEqual(
        expect.arrayContaining([
          "nope: field with name: nope: not found",
          "nada: field with name: nada: not found",
          "qty: Invalid value found for field 'qty' of type: 'Integer': bad request",
        ]),
      );
    });

    it("lists the unknown key beside a missing ID, and an invalid name beside an invalid ID", async () => {
      const res = await t.api.post(A, { nope: 1 });
      expect(res.statusCode).toBe(400);
      const messages = (res.json().details as Array<{ message: string }>).map((d) => d.message);
      expect(messages).toEqual(["Missing ID", "nope: field with name: nope: not found"]);
      const both = await t.api.post(A, { id: "bad id", name: " " });
      expect((both.json().details as Array<{ message: string }>).map((d) => d.message)).toEqual(["Invalid ID found", "Invalid name found"]);
    });
  });

  describe("PATCH /assets/{id}", () => {
    it("merges: present keys are set, null clears, absent keys keep their values", async () => {
      const created = await create({ id: "merge-1", name: "Before", qty: 1, label: "keep", ok: false, extras: ["wifi"] });
      const res = await t.api.patch(`${A}/merge-1`, { qty: "2", ok: null, extras: ["gps", "lte"] });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      const asset = res.json();
      expect(asset).toEqual({
        ...created,
        qty: 2,
        ok: undefined,
        extras: asset.extras,
        version: 2,
        updated_at: expect.stringMatching(TIME),
      });
      expect(asset).not.toHaveProperty("ok");
      expect([...asset.extras].sort()).toEqual(["gps", "lte"]);
      expect(asset).toMatchObject({ name: "Before", label: "keep", created_at: created.created_at, uid: created.uid });
      expect((await get("merge-1")).json()).toEqual(asset);

      const renamed = await t.api.patch(`${A}/merge-1`, { name: "After", id: "merge-1" });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).toMatchObject({ name: "After", qty: 2, label: "keep", version: 3 });
    });

    it("refuses to clear the name or change the ID", async () => {
      await create({ id: "merge-2", name: "Kept", qty: 1 });
      const noName = await t.api.patch(`${A}/merge-2`, { name: null, qty: 2 });
      expect(noName.statusCode).toBe(400);
      expect(noName.json()).toMatchObject({ code: 400, error: "name cannot be cleared: every asset has a name" });
      const otherId = await t.api.patch(`${A}/merge-2`, { id: "merge-3", qty: 2 });
      expect(otherId.statusCode).toBe(400);
      expect(otherId.json()).toMatchObject({ code: 400, error: "id cannot change: an asset keeps its ID" });
      expect((await get("merge-2")).json()).toMatchObject({ name: "Kept", qty: 1, version: 1 });
      expect((await get("merge-3")).statusCode).toBe(404);
    });

    it.each([
      ["an unknown key", { nope: 1 }, "nope: field with name: nope: not found"],
      ["the system key uid", { uid: "u" }, "uid: 'uid' is a system field and cannot be imported"],
      ["the system key version", { version: 9 }, "version: 'version' is a system field and cannot be imported"],
      ["a blank name", { name: " " }, "Invalid name found"],
      ["text for an Integer", { qty: "abcd" }, "qty: Invalid value found for field 'qty' of type: 'Integer': bad request"],
      ["yes for a Checkbox", { ok: "yes" }, "ok: Invalid value found for field 'ok' of type: 'Checkbox': bad request"],
    ])("refuses %s with 400 and changes nothing, also the valid keys beside it", async (_, body, message) => {
      const id = `p400-${Math.abs(hash(message))}`;
      const before = await create({ id, qty: 1, label: "x" });
      const res = await t.api.patch(`${A}/${id}`, { label: "changed", ...body });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 400, error: message, details: expect.arrayContaining([expect.objectContaining({ message })]) });
      expect((await get(id)).json()).toEqual(before);
      expect(await historyCount(id)).toBe(1);
    });

    it("answers 404 for an unknown asset and 409 for a deleted one", async () => {
      const missing = await t.api.patch(`${A}/nope-404`, { qty: 1 });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ code: 404, error: "asset 'nope-404' not found" });

      await create({ id: "gone-1", qty: 1 });
      expect((await t.api.delete(`${A}/gone-1`)).statusCode).toBe(204);
      const res = await t.api.patch(`${A}/gone-1`, { qty: 2 });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatch(/^asset 'gone-1' is deleted: restore it/);
      expect((await get("gone-1")).json()).toMatchObject({ qty: 1, version: 2, is_active: false });
    });

    it("keeps the version and records nothing when the patch changes nothing", async () => {
      await create({ id: "same-1", name: "Same", qty: 5, extras: ["wifi", "gps"] });
      for (const body of [{}, { qty: 5 }, { qty: "5" }, { name: "Same" }, { label: null }, { id: "same-1", qty: 5, extras: ["wifi", "gps"] }]) {
        const res = await t.api.patch(`${A}/same-1`, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(200);
        expect(res.json().version, JSON.stringify(body)).toBe(1);
        expect(res.headers.etag).toBe('"1"');
      }
      expect((await get("same-1")).json()).toMatchObject({ version: 1, qty: 5 });
      expect(await historyCount("same-1")).toBe(1);
    });

    it("honours If-Match quoted, unquoted, weak and *, and answers 412 with the current version when stale", async () => {
      await create({ id: "cond-1", qty: 0 });
      let res = await ifMatch("PATCH", `${A}/cond-1`, '"1"', { qty: 1 });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      res = await ifMatch("PATCH", `${A}/cond-1`, "2", { qty: 2 });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"3"');
      res = await ifMatch("PATCH", `${A}/cond-1`, "*", { qty: 3 });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"4"');
      res = await ifMatch("PATCH", `${A}/cond-1`, 'W/"4"', { qty: 4 });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"5"');

      for (const stale of ['"1"', "4", '"6"']) {
        const refused = await ifMatch("PATCH", `${A}/cond-1`, stale, { qty: 99 });
        expect(refused.statusCode, stale).toBe(412);
        expect(refused.json().code).toBe(412);
        expect(refused.json().error).toContain("version 5");
      }
      // Even a patch that would change nothing is refused when stale.
      expect((await ifMatch("PATCH", `${A}/cond-1`, '"4"', { qty: 4 })).statusCode).toBe(412);
      expect((await get("cond-1")).json()).toMatchObject({ qty: 4, version: 5 });
      expect(await historyCount("cond-1")).toBe(5);
    });
  });

  describe("DELETE and restore", () => {
    it("deletes softly: 204, inactive with deleted_at, gone from the list unless include_inactive=true", async () => {
      await create({ id: "del-1", name: "To delete", qty: 7, label: "l" });
      const res = await t.api.delete(`${A}/del-1`);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe("");
      const read = await get("del-1");
      const asset = read.json();
      expect(asset).toMatchObject({ id: "del-1", name: "To delete", qty: 7, label: "l", is_active: false, version: 2, deleted_at: expect.stringMatching(TIME) });
      expect(read.headers.etag).toBe('"2"');

      const listed = async (query: string) => {
        const body = (await t.api.get(`${A}?limit=1000&ids=del-1${query}`)).json();
        return body.collection.map((a: { id: string }) => a.id);
      };
      expect(await listed("")).toEqual([]);
      expect(await listed("&include_inactive=true")).toEqual(["del-1"]);
      const all = (await t.api.get(`${A}?limit=1000`)).json().collection.map((a: { id: string }) => a.id);
      expect(all).not.toContain("del-1");

      // Again: nothing changes.
      expect((await t.api.delete(`${A}/del-1`)).statusCode).toBe(204);
      expect((await get("del-1")).json()).toEqual(asset);
      expect(await historyCount("del-1")).toBe(2);
    });

    it("answers 404 for an unknown asset and 412 when If-Match is stale", async () => {
      const missing = await t.api.delete(`${A}/nope-del`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ code: 404, error: "asset 'nope-del' not found" });

      await create({ id: "del-2", qty: 1 });
      await t.api.patch(`${A}/del-2`, { qty: 2 });
      const stale = await ifMatch("DELETE", `${A}/del-2`, '"1"');
      expect(stale.statusCode).toBe(412);
      expect(stale.json().error).toContain("version 2");
      expect((await get("del-2")).json()).toMatchObject({ is_active: true, version: 2 });
      expect((await ifMatch("DELETE", `${A}/del-2`, '"2"')).statusCode).toBe(204);
      expect((await get("del-2")).json()).toMatchObject({ is_active: false, version: 3 });
    });

    it("restores a deleted asset with its values; restoring an active asset changes nothing", async () => {
      const created = await create({ id: "res-1", name: "Restore me", qty: 3, extras: ["lte"] });
      await t.api.delete(`${A}/res-1`);
      const res = await t.api.post(`${A}/res-1/restore`);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"3"');
      const restored = res.json();
      expect(restored).toEqual({ ...created, version: 3, updated_at: expect.stringMatching(TIME), is_active: true, deleted_at: null });
      expect((await get("res-1")).json()).toEqual(restored);
      expect((await t.api.get(`${A}?ids=res-1`)).json().collection.map((a: { id: string }) => a.id)).toEqual(["res-1"]);

      const again = await t.api.post(`${A}/res-1/restore`);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(restored);
      expect(again.headers.etag).toBe('"3"');
      expect(await historyCount("res-1")).toBe(3);

      const missing = await t.api.post(`${A}/nope-res/restore`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ code: 404, error: "asset 'nope-res' not found" });
    });

    it("refuses a restore with a stale If-Match", async () => {
      await create({ id: "res-2" });
      await t.api.delete(`${A}/res-2`);
      const stale = await ifMatch("POST", `${A}/res-2/restore`, '"1"');
      expect(stale.statusCode).toBe(412);
      expect((await get("res-2")).json()).toMatchObject({ is_active: false, version: 2 });
      expect((await ifMatch("POST", `${A}/res-2/restore`, '"2"')).statusCode).toBe(200);
    });
  });

  describe("concurrent conditional writes", () => {
    it("lets exactly one of two PATCHes with the same If-Match through", async () => {
      for (let round = 0; round < 5; round++) {
        const id = `race-${round}`;
        await create({ id, qty: 0 });
        const results = await Promise.all([
          ifMatch("PATCH", `${A}/${id}`, '"1"', { qty: 1 }),
          ifMatch("PATCH", `${A}/${id}`, '"1"', { qty: 2 }),
        ]);
        expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412]);
        const winner = results.find((r) => r.statusCode === 200)!.json();
        const asset = (await get(id)).json();
        expect(asset.version).toBe(2);
        expect(asset.qty).toBe(winner.qty);
        expect(await historyCount(id)).toBe(2);
      }
    });
  });
});

describe("GET /assets/next-id", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const nextId = async (query: string) => {
    const res = await t.api.get(`${A}/next-id${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it("gives the number after the highest in the series, zero-padded like it; deleted IDs count, other IDs do not", async () => {
    for (const id of ["LAPTOP-0001", "LAPTOP-0042", "LAPTOP-7x", "LAPTOP-x7", "LAPTOPS-9000", "laptop-9999", "LAPTOP-0041"]) {
      expect((await t.api.post(A, { id })).statusCode).toBe(201);
    }
    expect((await t.api.delete(`${A}/LAPTOP-0042`)).statusCode).toBe(204);
    expect(await nextId("?prefix=LAPTOP-")).toEqual({ prefix: "LAPTOP-", next_id: "LAPTOP-0043" });
  });

  it("starts an empty series at 1", async () => {
    expect(await nextId("?prefix=DESK-")).toEqual({ prefix: "DESK-", next_id: "DESK-1" });
  });

  it("compares numbers, not text, without a prefix", async () => {
    expect(await nextId("")).toEqual({ prefix: "", next_id: "1" });
    for (const id of ["9", "10"]) expect((await t.api.post(A, { id })).statusCode).toBe(201);
    expect(await nextId("")).toEqual({ prefix: "", next_id: "11" });
    expect(await nextId("?prefix=")).toEqual({ prefix: "", next_id: "11" });
  });

  it("carries over into a wider number", async () => {
    expect((await t.api.post(A, { id: "MON-099" })).statusCode).toBe(201);
    expect(await nextId("?prefix=MON-")).toEqual({ prefix: "MON-", next_id: "MON-100" });
    expect((await t.api.post(A, { id: "MON-999" })).statusCode).toBe(201);
    expect(await nextId("?prefix=MON-")).toEqual({ prefix: "MON-", next_id: "MON-1000" });
  });

  it("takes the highest number when the series mixes zero-padded and wider numbers", async () => {
    for (const id of ["TAB-0042", "TAB-100"]) expect((await t.api.post(A, { id })).statusCode).toBe(201);
    expect(await nextId("?prefix=TAB-")).toEqual({ prefix: "TAB-", next_id: "TAB-101" });
  });

  it.each(["LAP%20TOP-", "lap_top", "caf%C3%A9-", "a%2Fb"])("refuses the prefix %s with 400", async (prefix) => {
    const res = await t.api.get(`${A}/next-id?prefix=${prefix}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(400);
  });

  it("refuses a prefix that cannot start a valid ID", async () => {
    for (const prefix of ["-A", "A--", "a".repeat(63)]) {
      const res = await t.api.get(`${A}/next-id?prefix=${prefix}`);
      expect(res.statusCode, prefix).toBe(400);
      expect(res.json().code).toBe(400);
    }
  });
});

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}
