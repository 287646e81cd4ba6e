import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

describe("sites", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("are created, read, listed by ID, renamed and deleted", async () => {
    const created = await t.api.post("/api/v4/sites", { id: "berlin-hq", name: "Berlin HQ", description: "Main office" });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe("/api/v4/sites/berlin-hq");
    expect(created.json()).toMatchObject({ id: "berlin-hq", name: "Berlin HQ", description: "Main office", created_at: expect.stringMatching(/Z$/) });
    await t.api.post("/api/v4/sites", { id: "Aachen-2", name: "Aachen" });

    expect((await t.api.get("/api/v4/sites/berlin-hq")).json()).toEqual(created.json());
    const list = (await t.api.get("/api/v4/sites")).json();
    expect(list).toMatchObject({ count: 2, total_count: 2, page: 1, total_pages: 1 });
    // Byte order, as asset IDs: upper case first.
    expect(list.collection.map((s: { id: string }) => s.id)).toEqual(["Aachen-2", "berlin-hq"]);
    expect((await t.api.get("/api/v4/sites?limit=1&page=2")).json().collection.map((s: { id: string }) => s.id)).toEqual(["berlin-hq"]);

    const renamed = await t.api.patch("/api/v4/sites/berlin-hq", { name: "Berlin, Mitte" });
    expect(renamed.json()).toMatchObject({ id: "berlin-hq", name: "Berlin, Mitte", description: "Main office" });
    expect(Date.parse(renamed.json().updated_at)).toBeGreaterThanOrEqual(Date.parse(created.json().updated_at));

    expect((await t.api.delete("/api/v4/sites/Aachen-2")).statusCode).toBe(204);
    expect((await t.api.get("/api/v4/sites/Aachen-2")).json()).toEqual({ code: 404, error: "site 'Aachen-2' not found" });
  });

  it("refuse a taken ID, an invalid ID or name, unknown keys, and a missing site", async () => {
    await t.api.post("/api/v4/sites", { id: "oslo", name: "Oslo" });
    expect((await t.api.post("/api/v4/sites", { id: "oslo", name: "Oslo again" })).json()).toEqual({ code: 409, error: "a site with the ID 'oslo' exists" });
    expect((await t.api.get("/api/v4/sites/oslo")).json().name).toBe("Oslo");
    const invalidId = await t.api.post("/api/v4/sites", { id: "no--site", name: "Bad" });
    expect(invalidId.statusCode).toBe(400);
    expect(invalidId.json().error).toMatch(/not a valid ID/);
    expect((await t.api.post("/api/v4/sites", { id: "blank", name: "   " })).statusCode).toBe(400);
    expect((await t.api.post("/api/v4/sites", { id: "extra", name: "Extra", city: "Oslo" })).json().error).toBe("body has unknown property 'city'");
    expect((await t.api.patch("/api/v4/sites/oslo", { id: "oslo-2" })).statusCode).toBe(400);
    expect((await t.api.patch("/api/v4/sites/nowhere", { name: "X" })).json()).toEqual({ code: 404, error: "site 'nowhere' not found" });
    expect((await t.api.delete("/api/v4/sites/nowhere")).statusCode).toBe(404);
  });

  it("cannot be deleted while an asset is at it, even a deleted one", async () => {
    await t.api.post("/api/v4/sites", { id: "depot", name: "Depot" });
    // By the site's name, which only this site has.
    expect((await t.api.post("/api/v4/assets", { id: "forklift-1", name: "Forklift", site_id: "depot" })).json()).toMatchObject({ site_id: "depot", site_name: "Depot" });
    await t.api.delete("/api/v4/assets/forklift-1");
    const refused = await t.api.delete("/api/v4/sites/depot");
    expect(refused.json()).toEqual({ code: 409, error: "site 'depot' has assets (deleted ones included, as they may be restored): move them to another site first" });
    expect((await t.api.get("/api/v4/sites/depot")).statusCode).toBe(200);
    // Once the asset is elsewhere, the site can go.
    await t.api.post("/api/v4/assets/forklift-1/restore");
    await t.api.post("/api/v4/sites", { id: "yard", name: "Yard" });
    expect((await t.api.patch("/api/v4/assets/forklift-1", { site_id: "Yard" })).json()).toMatchObject({ site_id: "yard", site_name: "Yard" });
    expect((await t.api.delete("/api/v4/sites/depot")).statusCode).toBe(204);
  });
});
