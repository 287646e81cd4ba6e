import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, startTestApp, type TestApp } from "../helpers/app.js";

const lifecycle = [
  { id: "new", name: "New" },
  { id: "in-service", name: "In service" },
  { id: "retired", name: "Retired" },
];

describe("status sets", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("keep their statuses in order, and replace them whole", async () => {
    const created = await t.api.post("/api/v4/status-sets", { id: "lifecycle", name: "Lifecycle", statuses: lifecycle });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ id: "lifecycle", name: "Lifecycle", statuses: lifecycle });
    const reordered = [lifecycle[2]!, lifecycle[0]!, { id: "lost", name: "Lost" }];
    expect((await t.api.patch("/api/v4/status-sets/lifecycle", { statuses: reordered })).json().statuses).toEqual(reordered);
    expect((await t.api.get("/api/v4/status-sets/lifecycle")).json()).toMatchObject({ name: "Lifecycle", statuses: reordered });
    expect((await t.api.get("/api/v4/status-sets")).json().collection.map((s: { id: string }) => s.id)).toEqual(["lifecycle"]);
  });

  it("refuse repeated or invalid statuses, an empty set, a taken ID and a missing set", async () => {
    const post = (body: object) => t.api.post("/api/v4/status-sets", { id: "s1", name: "S1", ...body });
    expect((await post({ statuses: [{ id: "a", name: "A" }, { id: "a", name: "B" }] })).json()).toEqual({ code: 400, error: "statuses[1].id 'a' appears twice" });
    expect((await post({ statuses: [{ id: "a", name: "Same" }, { id: "b", name: "SAME" }] })).json()).toEqual({ code: 400, error: "statuses[1].name 'SAME' appears twice" });
    expect((await post({ statuses: [{ id: "not valid", name: "A" }] })).json().error).toMatch(/^statuses\[0\]\.id 'not valid' is not a valid ID/);
    expect((await post({ statuses: [] })).statusCode).toBe(400);
    expect((await t.api.get("/api/v4/status-sets/s1")).statusCode).toBe(404);
    await t.api.post("/api/v4/status-sets", { id: "taken", name: "Taken", statuses: lifecycle });
    expect((await t.api.post("/api/v4/status-sets", { id: "taken", name: "Again", statuses: lifecycle })).json()).toEqual({ code: 409, error: "a status set with the ID 'taken' exists" });
    expect((await t.api.patch("/api/v4/status-sets/nope", { name: "X" })).json()).toEqual({ code: 404, error: "status set 'nope' not found" });
  });

  it("cannot be deleted while a category uses it", async () => {
    await t.api.post("/api/v4/status-sets", { id: "used", name: "Used", statuses: lifecycle });
    await t.api.post("/api/v4/categories", { id: "pumps", name: "Pumps", status_set_id: "used" });
    expect((await t.api.delete("/api/v4/status-sets/used")).json()).toEqual({
      code: 409,
      error: "status set 'used' is used by a category: give the category another set first",
    });
    await t.api.patch("/api/v4/categories/pumps", { status_set_id: null });
    expect((await t.api.delete("/api/v4/status-sets/used")).statusCode).toBe(204);
    expect((await t.api.delete("/api/v4/status-sets/used")).statusCode).toBe(404);
  });
});

describe("categories", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await createField(t.api, { name: "voltage", type: "Number" });
    await createField(t.api, { name: "Tracker No.", type: "SingleLineText" });
    await createField(t.api, { name: "lumens", type: "Integer" });
    await t.api.post("/api/v4/status-sets", { id: "lifecycle", name: "Lifecycle", statuses: lifecycle });
    await t.api.post("/api/v4/status-sets", { id: "lamp-states", name: "Lamp states", statuses: [{ id: "lit", name: "Lit" }, { id: "dark", name: "Dark" }] });
  });
  afterAll(() => t.close());

  it("form a hierarchy whose subcategories inherit fields and the status set", async () => {
    const top = await t.api.post("/api/v4/categories", { id: "electrical", name: "Electrical", status_set_id: "lifecycle", fields: ["voltage", "Tracker No."] });
    expect(top.statusCode, top.body).toBe(201);
    expect(top.json()).toMatchObject({ id: "electrical", parent_id: null, path: ["electrical"], fields: ["voltage", "Tracker No."], effective_status_set_id: "lifecycle" });
    await t.api.post("/api/v4/categories", { id: "lighting", name: "Lighting", parent_id: "electrical", fields: ["lumens"] });
    const lamps = await t.api.post("/api/v4/categories", { id: "lamps", name: "Lamps", parent_id: "lighting", status_set_id: "lamp-states" });
    expect(lamps.json()).toMatchObject({
      path: ["electrical", "lighting", "lamps"],
      fields: [],
      effective_fields: ["Tracker No.", "lumens", "voltage"],
      status_set_id: "lamp-states",
      effective_status_set_id: "lamp-states",
    });
    expect((await t.api.get("/api/v4/categories/lighting")).json()).toMatchObject({ effective_status_set_id: "lifecycle", effective_fields: ["Tracker No.", "lumens", "voltage"] });
    const list = (await t.api.get("/api/v4/categories?limit=2")).json();
    expect(list).toMatchObject({ count: 2, total_count: 3, total_pages: 2 });
    expect(list.collection.map((c: { id: string }) => c.id)).toEqual(["electrical", "lamps"]);

    // Moving a branch moves what it inherits.
    await t.api.post("/api/v4/categories", { id: "outdoor", name: "Outdoor" });
    const moved = (await t.api.patch("/api/v4/categories/lighting", { parent_id: "outdoor" })).json();
    expect(moved).toMatchObject({ path: ["outdoor", "lighting"], effective_fields: ["lumens"], effective_status_set_id: null });
    expect((await t.api.get("/api/v4/categories/lamps")).json().path).toEqual(["outdoor", "lighting", "lamps"]);
  });

  it("refuse a loop, and references to what does not exist, changing nothing", async () => {
    await t.api.post("/api/v4/categories", { id: "a", name: "A" });
    await t.api.post("/api/v4/categories", { id: "b", name: "B", parent_id: "a" });
    await t.api.post("/api/v4/categories", { id: "c", name: "C", parent_id: "b" });
    expect((await t.api.patch("/api/v4/categories/a", { parent_id: "c" })).json()).toEqual({ code: 400, error: "parent_id: 'c' is 'a' or one of its subcategories" });
    expect((await t.api.patch("/api/v4/categories/a", { parent_id: "a" })).statusCode).toBe(400);
    expect((await t.api.patch("/api/v4/categories/a", { parent_id: "nope" })).json()).toEqual({ code: 400, error: "parent_id: category 'nope' not found" });
    expect((await t.api.patch("/api/v4/categories/a", { status_set_id: "nope" })).json()).toEqual({ code: 400, error: "status_set_id: status set 'nope' not found" });
    expect((await t.api.patch("/api/v4/categories/a", { fields: ["voltage", "watts"] })).json()).toEqual({ code: 400, error: "fields: no custom field named 'watts'" });
    expect((await t.api.post("/api/v4/categories", { id: "d", name: "D", fields: ["voltage", "voltage"] })).json()).toEqual({ code: 400, error: "fields: a field appears twice" });
    expect((await t.api.get("/api/v4/categories/d")).statusCode).toBe(404);
    expect((await t.api.get("/api/v4/categories/a")).json()).toMatchObject({ parent_id: null, status_set_id: null, fields: [] });
    expect((await t.api.post("/api/v4/categories", { id: "a", name: "Again" })).json()).toEqual({ code: 409, error: "a category with the ID 'a' exists" });
    expect((await t.api.post("/api/v4/categories", { id: "bad--id", name: "Bad" })).statusCode).toBe(400);
    expect((await t.api.patch("/api/v4/categories/zzz", { name: "Z" })).json()).toEqual({ code: 404, error: "category 'zzz' not found" });
  });

  it("cannot be deleted while they have subcategories; deleting a field removes it from them", async () => {
    await t.api.post("/api/v4/categories", { id: "tools", name: "Tools", fields: ["voltage"] });
    await t.api.post("/api/v4/categories", { id: "drills", name: "Drills", parent_id: "tools", fields: ["voltage", "lumens"] });
    expect((await t.api.delete("/api/v4/categories/tools")).json()).toEqual({ code: 409, error: "category 'tools' has subcategories: move or delete them first" });
    expect((await t.api.delete("/api/v4/asset-fields/voltage")).statusCode).toBe(204);
    expect((await t.api.get("/api/v4/categories/drills")).json()).toMatchObject({ fields: ["lumens"], effective_fields: ["lumens"] });
    expect((await t.api.delete("/api/v4/categories/drills")).statusCode).toBe(204);
    expect((await t.api.delete("/api/v4/categories/tools")).statusCode).toBe(204);
    expect((await t.api.get("/api/v4/categories/tools")).statusCode).toBe(404);
  });

  it("lets only one of two concurrent moves that would make a loop through", async () => {
    for (let round = 0; round < 10; round++) {
      const [x, y] = [`race-x-${round}`, `race-y-${round}`];
      await t.api.post("/api/v4/categories", { id: x, name: x });
      await t.api.post("/api/v4/categories", { id: y, name: y });
      const answers = await Promise.all([t.api.patch(`/api/v4/categories/${x}`, { parent_id: y }), t.api.patch(`/api/v4/categories/${y}`, { parent_id: x })]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 400]);
      const parents = await Promise.all([x, y].map(async (id) => (await t.api.get(`/api/v4/categories/${id}`)).json().parent_id));
      expect(parents.filter((p) => p !== null)).toHaveLength(1);
    }
  });
});
