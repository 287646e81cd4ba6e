import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, runImport, startTestApp, type TestApp } from "../helpers/app.js";

describe("assets read API", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await createField(t.api, { name: "price", type: "Decimal" });
    await createField(t.api, { name: "stock_quantity", type: "Integer" });
    // 120 assets in shuffled order: the list must still come back in ID order.
    const entries = Array.from({ length: 120 }, (_, i) => ({ id: `prod-${String(i).padStart(3, "0")}`, name: `Product ${i}`, price: i + 0.5 }));
    entries.reverse();
    await runImport(t.api, entries);
    await runImport(t.api, [{ id: "prod-123", name: "Premium Coffee Beans, 1lb bag", price: 12.99, stock_quantity: 100 }]);
  });
  afterAll(() => t.close());

  it("returns the flat asset object of the contract", async () => {
    const res = await t.api.get("/api/v4/assets/prod-123");
    expect(res.statusCode).toBe(200);
    const asset = res.json();
    expect(asset).toEqual({
      id: "prod-123",
      uid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      name: "Premium Coffee Beans, 1lb bag",
      price: 12.99,
      stock_quantity: 100,
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
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
  });

  it("answers 404 in the error shape for an unknown ID", async () => {
    const res = await t.api.get("/api/v4/assets/nope-1");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 404, error: "asset 'nope-1' not found" });
  });

  it("pages through every asset once, in ID order", async () => {
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const body = (await t.api.get(`/api/v4/assets?limit=50&page=${page}`)).json();
      expect(body).toMatchObject({ page, total_count: 121, total_pages: 3 });
      expect(body.count).toBe(body.collection.length);
      if (body.count === 0) break;
      seen.push(...body.collection.map((a: { id: string }) => a.id));
    }
    expect(seen).toHaveLength(121);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(121);
  });

  it("uses the contract's paging defaults and limits", async () => {
    const body = (await t.api.get("/api/v4/assets")).json();
    expect(body).toMatchObject({ count: 50, page: 1, total_pages: 3 });
    for (const query of ["limit=1001", "limit=0", "page=0", "page=x"]) {
      const res = await t.api.get(`/api/v4/assets?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().code).toBe(400);
    }
    expect((await t.api.get("/api/v4/assets?limit=1000")).json().count).toBe(121);
  });
});
