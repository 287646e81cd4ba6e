import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, startTestApp, type TestApp } from "../helpers/app.js";

const CREATE = "/api/v4/assets:batch-create";
const PATCH = "/api/v4/assets:batch-patch";
const GET = "/api/v4/assets:batch-get";

describe("asset batches (BIM 360 style)", () => {
  let t: TestApp;
  const count = async () => (await t.api.get("/api/v4/assets?include_inactive=true&limit=1")).json().total_count as number;

  beforeAll(async () => {
    t = await startTestApp();
    await createField(t.api, { name: "rating", type: "Integer" });
    await t.api.post("/api/v4/status-sets", { id: "life", name: "Lifecycle", statuses: [{ id: "new", name: "New" }, { id: "used", name: "In use" }] });
    await t.api.post("/api/v4/categories", { id: "pump", name: "Pumps", status_set_id: "life", fields: ["rating"] });
    await t.api.post("/api/v4/sites", { id: "plant-1", name: "Plant one" });
  });
  afterAll(() => t.close());

  it("creates every asset in one call: 201 with version, created_at and created_by, in the order given", async () => {
    const res = await t.api.post(CREATE, [
      { id: "p-2", name: "Pump two", category: "Pumps", rating: "3", site_id: "plant-1", tags: "wet, loud" },
      { id: "p-1", name: "Pump one", category: "pump", status: "In use", description: "Basement" },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const results = res.json().results;
    expect(results.map((a: { id: string }) => a.id)).toEqual(["p-2", "p-1"]);
    expect(results[0]).toMatchObject({ version: 1, created_by: "admin", category: "pump", status: "new", rating: 3, site_name: "Plant one", tags: ["wet", "loud"] });
    expect(results[0].created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(results[1]).toMatchObject({ status: "used", description: "Basement" });
    expect((await t.api.get("/api/v4/assets/p-1")).json()).toEqual(results[1]);
    // One history entry each.
    expect((await t.api.get("/api/v4/assets/p-2/changes")).json().collection.map((c: { action: string }) => c.action)).toEqual(["created"]);
  });

  it("refuses the whole batch with 409 naming each ID that exists, deleted assets included", async () => {
    await t.api.post("/api/v4/assets", { id: "gone-1", name: "Gone" });
    await t.api.delete("/api/v4/assets/gone-1");
    const before = await count();
    const res = await t.api.post(CREATE, [{ id: "fresh-1", name: "Fresh" }, { id: "p-1", name: "Again" }, { id: "gone-1", name: "Again" }]);
    expect(res.statusCode).toBe(409);
    expect(res.json().details).toEqual([
      { index: 2, id: "p-1", message: "asset 'p-1' exists" },
      { index: 3, id: "gone-1", message: "asset 'gone-1' exists and is deleted: restore it with POST /api/v4/assets/gone-1/restore" },
    ]);
    expect(res.json().error).toContain("(IDs: p-1, gone-1)");
    expect(await count()).toBe(before);
    expect((await t.api.get("/api/v4/assets/fresh-1")).statusCode).toBe(404);
  });

  it("refuses the whole batch with 400 naming every invalid item, and writes nothing", async () => {
    const before = await count();
    const res = await t.api.post(CREATE, [
      { id: "ok-1", name: "Fine" },
      { id: "bad--id", name: "Bad ID" },
      { id: "ok-2", name: "Fine", category: "valves" },
      { id: "ok-3", name: "Fine", category: "pump", status: "broken" },
      { id: "ok-1", name: "Twice" },
      { id: "ok-4", name: "   " },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { index: 2, id: "bad--id", message: "Invalid ID found" },
      { index: 3, id: "ok-2", message: "category: no category with the ID or name 'valves'" },
      { index: 4, id: "ok-3", message: "status: 'broken' is not a status of category 'pump' (status set 'life')" },
      { index: 5, id: "ok-1", message: "ID 'ok-1' is also item 1: an asset appears once in a batch" },
      { index: 6, id: "ok-4", message: "Invalid name found" },
    ]);
    expect(res.json().error).toBe("5 of 6 items are invalid; nothing was created: first, item 2: Invalid ID found");
    expect(await count()).toBe(before);
  });

  it("names every refused item and every problem of one: non-objects, each bad reference and value", async () => {
    const res = await t.api.post(CREATE, [1, { id: "x-1", name: "X", category: "nope", site_id: "nowhere", rating: "abc" }, null, ["a"]]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("4 of 4 items are invalid; nothing was created: first, item 1: the item is not a JSON object");
    expect(res.json().details).toEqual([
      { index: 1, id: null, message: "the item is not a JSON object" },
      { index: 2, id: "x-1", message: "site_id: no site with the ID or name 'nowhere'" },
      { index: 2, id: "x-1", message: "category: no category with the ID or name 'nope'" },
      // The API refuses what the import would leave out: no "; left out" here.
      { index: 2, id: "x-1", message: "rating: Invalid value found for field 'rating' of type: 'Integer': bad request" },
      { index: 3, id: null, message: "the item is not a JSON object" },
      { index: 4, id: null, message: "the item is not a JSON object" },
    ]);
  });

  it("takes numbers for IDs and names of categories and sites, as spreadsheet cells give them", async () => {
    await t.api.post("/api/v4/categories", { id: "42", name: "Forty-two", status_set_id: "life" });
    await t.api.post("/api/v4/sites", { id: "7", name: "Seven" });
    const res = await t.api.post(CREATE, [{ id: 4201, name: "Numbered", category: 42, site_id: 7, description: 12.5, tags: 3 }]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().results[0]).toMatchObject({ id: "4201", category: "42", status: "new", site_id: "7", site_name: "Seven", description: "12.5", tags: ["3"] });
    // Names as typed: without case and surrounding spaces.
    expect((await t.api.post(PATCH, [{ id: "4201", category: "  pumps ", site_id: " plant ONE" }])).json().results[0]).toMatchObject({ category: "pump", site_id: "plant-1" });
  });

  it("takes 1 to 1,000 items", async () => {
    expect((await t.api.post(CREATE, [])).statusCode).toBe(400);
    const many = Array.from({ length: 1001 }, (_, i) => ({ id: `m-${i}`, name: `M ${i}` }));
    const over = await t.api.post(CREATE, many);
    expect(over.statusCode).toBe(400);
    expect(over.json().error).toMatch(/1000/);
    const full = await t.api.post(CREATE, many.slice(0, 1000));
    expect(full.statusCode).toBe(201);
    expect(full.json().results).toHaveLength(1000);
    expect((await t.api.post(GET, { ids: many.slice(0, 1000).map((a) => a.id) })).json().results).toHaveLength(1000);
  });

  it("patches every named asset, all or nothing: 404 naming missing IDs, 409 for deleted ones, 400 for invalid items", async () => {
    const ok = await t.api.post(PATCH, [
      { id: "p-1", status: "new", rating: 5 },
      { id: "p-2", name: "Pump two" },
    ]);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().results.map((a: { id: string; version: number; status: string }) => [a.id, a.version, a.status])).toEqual([
      ["p-1", 2, "new"],
      // Unchanged: same version.
      ["p-2", 1, "new"],
    ]);

    const missing = await t.api.post(PATCH, [{ id: "p-1", rating: 9 }, { id: "nope", rating: 1 }]);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().details).toEqual([{ index: 2, id: "nope", message: "asset 'nope' not found" }]);
    const deleted = await t.api.post(PATCH, [{ id: "p-1", rating: 9 }, { id: "gone-1", rating: 1 }]);
    expect(deleted.statusCode).toBe(409);
    // Missing and deleted in one batch: one answer names both.
    const both = await t.api.post(PATCH, [{ id: "gone-1", rating: 1 }, { id: "nope", rating: 1 }]);
    expect(both.statusCode).toBe(404);
    expect(both.json().details).toEqual([
      { index: 1, id: "gone-1", message: "asset 'gone-1' is deleted: restore it with POST /api/v4/assets/gone-1/restore before changing it" },
      { index: 2, id: "nope", message: "asset 'nope' not found" },
    ]);
    const invalid = await t.api.post(PATCH, [{ id: "p-1", rating: 9 }, { id: "p-2", rating: "lots" }, { name: "no id" }, { id: "p-1", name: null }]);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().details).toEqual([
      { index: 2, id: "p-2", message: "rating: Invalid value found for field 'rating' of type: 'Integer': bad request" },
      { index: 3, id: null, message: "give the asset's id" },
      { index: 4, id: "p-1", message: "ID 'p-1' is also item 1: an asset appears once in a batch" },
    ]);
    const nullName = await t.api.post(PATCH, [{ id: "p-2", rating: 1 }, { id: "p-1", name: null }]);
    expect(nullName.json().details).toEqual([{ index: 2, id: "p-1", message: "name cannot be cleared: every asset has a name" }]);
    // None of the refused batches changed p-1.
    expect((await t.api.get("/api/v4/assets/p-1")).json()).toMatchObject({ rating: 5, version: 2 });
  });

  it("gets assets by ID and lists the IDs it did not find", async () => {
    const res = await t.api.post(GET, { ids: ["p-1", "nope", "gone-1", "p-1", "also-nope"] });
    expect(res.statusCode).toBe(200);
    expect(res.json().results.map((a: { id: string; is_active: boolean }) => [a.id, a.is_active])).toEqual([
      ["p-1", true],
      ["gone-1", false],
    ]);
    expect(res.json().not_found).toEqual(["nope", "also-nope"]);
    expect((await t.api.post(GET, { ids: [] })).statusCode).toBe(400);
    expect((await t.api.post(GET, { id: ["p-1"] })).statusCode).toBe(400);
  });
});
