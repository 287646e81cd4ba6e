import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, startTestApp, type TestApp } from "../helpers/app.js";

describe("a category's fields", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ["zeta", "alpha", "mid", "Beta"]) await createField(t.api, { name, type: "SingleLineText" });
  });
  afterAll(() => t.close());

  it("come back in the order given, from every read, and again after a change", async () => {
    const created = await t.api.post("/api/v4/categories", { id: "ordered", name: "Ordered", fields: ["zeta", "alpha", "mid"] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().fields).toEqual(["zeta", "alpha", "mid"]);
    expect((await t.api.get("/api/v4/categories/ordered")).json().fields).toEqual(["zeta", "alpha", "mid"]);
    expect((await t.api.get("/api/v4/categories")).json().collection[0].fields).toEqual(["zeta", "alpha", "mid"]);

    expect((await t.api.patch("/api/v4/categories/ordered", { fields: ["mid", "Beta", "zeta"] })).json().fields).toEqual(["mid", "Beta", "zeta"]);
    expect((await t.api.patch("/api/v4/categories/ordered", { name: "Renamed" })).json().fields).toEqual(["mid", "Beta", "zeta"]);
    expect((await t.api.delete("/api/v4/asset-fields/Beta")).statusCode).toBe(204);
    expect((await t.api.get("/api/v4/categories/ordered")).json().fields).toEqual(["mid", "zeta"]);
  });

  it("keep each category's own order beside its parent's", async () => {
    await t.api.post("/api/v4/categories", { id: "parent", name: "Parent", fields: ["zeta", "alpha"] });
    const child = await t.api.post("/api/v4/categories", { id: "child", name: "Child", parent_id: "parent", fields: ["mid"] });
    expect(child.json()).toMatchObject({ fields: ["mid"], effective_fields: ["alpha", "mid", "zeta"] });
    expect((await t.api.get("/api/v4/categories/parent")).json().fields).toEqual(["zeta", "alpha"]);
  });
});
