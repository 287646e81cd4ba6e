import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport, startTestApp, type TestApp } from "../helpers/app.js";

describe("asset fields", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const fieldUrl = (name: string) => `/api/v4/asset-fields/${encodeURIComponent(name)}`;

  it("lists the system fields with system: true", async () => {
    const res = await t.api.get("/api/v4/asset-fields?system=true&limit=100");
    expect(res.statusCode).toBe(200);
    const names = res.json().collection.map((f: { name: string }) => f.name);
    for (const name of ["id", "uid", "name", "created_at", "created_by", "updated_at", "updated_by", "version", "is_active", "deleted_at", "site_id", "site_name"]) {
      expect(names).toContain(name);
    }
    expect(res.json().collection.every((f: { system: boolean }) => f.system)).toBe(true);
  });

  it("creates a field of every type and lists it", async () => {
    const defs = [
      { name: "Tracker No.", type: "Number" },
      { name: "count", type: "Integer" },
      { name: "price", type: "Decimal", precision: 3 },
      { name: "notes", type: "MultiLineText", description: "free text" },
      { name: "label", type: "SingleLineText" },
      { name: "ok", type: "Checkbox" },
      { name: "bought", type: "Date" },
      { name: "seen", type: "DateTime" },
      { name: "colour", type: "Select", options: ["Red", "Green"] },
      { name: "features", type: "MultiSelect", options: ["wifi", "bt"] },
      { name: "homepage", type: "URL" },
      { name: "owner", type: "Email" },
    ];
    for (const def of defs) {
      const res = await t.api.post("/api/v4/asset-fields", def);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ ...def, system: false });
    }
    expect((await t.api.get(fieldUrl("Tracker No."))).json()).toMatchObject({ name: "Tracker No.", type: "Number" });
    expect((await t.api.get(fieldUrl("price"))).json().precision).toBe(3);
    const list = (await t.api.get("/api/v4/asset-fields?system=false&limit=100")).json();
    expect(list.total_count).toBe(defs.length);
    const page = (await t.api.get("/api/v4/asset-fields?limit=5&page=2")).json();
    // 16 system fields first, then the 12 custom ones.
    expect(page).toMatchObject({ count: 5, page: 2, total_count: 28, total_pages: 6 });
    expect(page.collection.map((f: { name: string }) => f.name)).toEqual(["updated_at", "updated_by", "version", "is_active", "deleted_at"]);
  });

  it("defaults a Decimal's precision to 2", async () => {
    const res = await t.api.post("/api/v4/asset-fields", { name: "cost", type: "Decimal" });
    expect(res.json().precision).toBe(2);
  });

  it.each([
    [{ name: "", type: "Number" }, /name/],
    [{ name: "   ", type: "Number" }, /white space/],
    [{ name: "x".repeat(256), type: "Number" }, /255/],
    [{ name: "ID", type: "Number" }, /system field/],
    [{ name: "Site_Name", type: "Number" }, /system field/],
    [{ name: "a\tb", type: "Number" }, /control/],
    [{ name: "kind", type: "Select" }, /needs options/],
    [{ name: "kind", type: "Select", options: ["a", "A"] }, /differ only by case/],
    [{ name: "kind", type: "MultiSelect", options: ["a,b"] }, /comma/],
    [{ name: "kind", type: "Number", options: ["a"] }, /only to Select/],
    [{ name: "kind", type: "Number", precision: 2 }, /only to Decimal/],
    [{ name: "kind", type: "Decimal", precision: 11 }, /precision/],
    [{ name: "kind", type: "Money" }, /type/],
    [{ name: "kind", type: "Number", colour: "red" }, /^body has unknown property 'colour'$/],
  ])("refuses %j with 400", async (body, message) => {
    const res = await t.api.post("/api/v4/asset-fields", body);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(400);
    expect(res.json().error).toMatch(message);
    expect((await t.api.get(fieldUrl("kind"))).statusCode).toBe(404);
  });

  it("refuses a duplicate name with 409 but allows one differing in case", async () => {
    await t.api.post("/api/v4/asset-fields", { name: "brand", type: "SingleLineText" });
    expect((await t.api.post("/api/v4/asset-fields", { name: "brand", type: "Number" })).statusCode).toBe(409);
    expect((await t.api.post("/api/v4/asset-fields", { name: "Brand", type: "Number" })).statusCode).toBe(201);
  });

  it("changes the type while no asset holds a value and refuses with 409 once one does", async () => {
    await t.api.post("/api/v4/asset-fields", { name: "size", type: "SingleLineText" });
    const changed = await t.api.patch(fieldUrl("size"), { type: "Number", description: "in inches" });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ type: "Number", description: "in inches" });
    await runImport(t.api, [{ id: "tv-1", size: 55 }]);
    const refused = await t.api.patch(fieldUrl("size"), { type: "SingleLineText" });
    expect(refused.statusCode).toBe(409);
    expect((await t.api.get(fieldUrl("size"))).json().type).toBe("Number");
    // Clearing the value lifts the refusal.
    await runImport(t.api, [{ id: "tv-1", size: null }]);
    expect((await t.api.patch(fieldUrl("size"), { type: "SingleLineText" })).statusCode).toBe(200);
  });

  it("adds options freely but refuses to remove one that an asset holds", async () => {
    await t.api.post("/api/v4/asset-fields", { name: "ports", type: "MultiSelect", options: ["usb", "hdmi"] });
    await runImport(t.api, [{ id: "dock-1", ports: ["hdmi"] }]);
    expect((await t.api.patch(fieldUrl("ports"), { options: ["usb", "hdmi", "dp"] })).statusCode).toBe(200);
    expect((await t.api.patch(fieldUrl("ports"), { options: ["hdmi", "dp"] })).statusCode).toBe(200);
    const refused = await t.api.patch(fieldUrl("ports"), { options: ["dp"] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatch(/hdmi/);
  });

  it("refuses renames, system fields and unknown fields", async () => {
    expect((await t.api.patch(fieldUrl("brand"), { name: "make" })).statusCode).toBe(400);
    expect((await t.api.patch(fieldUrl("name"), { description: "x" })).statusCode).toBe(400);
    expect((await t.api.patch(fieldUrl("nope"), { description: "x" })).statusCode).toBe(404);
    expect((await t.api.get(fieldUrl("nope"))).statusCode).toBe(404);
  });

  it("deletes a field together with its values", async () => {
    await t.api.post("/api/v4/asset-fields", { name: "room \"A\"", type: "SingleLineText" });
    await runImport(t.api, [{ id: "desk-1", name: "Desk", 'room "A"': "101", ok: true }]);
    expect((await t.api.get("/api/v4/assets/desk-1")).json()['room "A"']).toBe("101");
    expect((await t.api.delete(fieldUrl('room "A"'))).statusCode).toBe(204);
    const asset = (await t.api.get("/api/v4/assets/desk-1")).json();
    expect(asset).not.toHaveProperty('room "A"');
    expect(asset.ok).toBe(true);
    expect((await t.api.delete(fieldUrl('room "A"'))).statusCode).toBe(404);
    expect((await t.api.delete(fieldUrl("id"))).statusCode).toBe(400);
    // A new field of that name starts empty.
    await t.api.post("/api/v4/asset-fields", { name: "room \"A\"", type: "Number" });
    expect((await t.api.get("/api/v4/assets/desk-1")).json()).not.toHaveProperty('room "A"');
  });
});
