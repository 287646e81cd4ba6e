import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { up as fillLatestChangeSites } from "../../src/storage/migrations/011_latest_change_site.js";
import { createField, runImport, startTestApp, type TestApp } from "../helpers/app.js";

describe("GET /api/v4/asset-stats", () => {
  let t: TestApp;
  const stats = async (query: string) => {
    const res = await t.api.get(`/api/v4/asset-stats?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await startTestApp();
    await createField(t.api, { name: "kind", type: "Select", options: ["laptop", "phone"] });
    await createField(t.api, { name: "in_service", type: "Checkbox" });
    for (const site of [{ id: "hq", name: "Head office" }, { id: "lab", name: "Lab" }]) expect((await t.api.post("/api/v4/sites", site)).statusCode).toBe(201);
    const statuses = [{ id: "active", name: "Active" }, { id: "spare", name: "Spare" }];
    expect((await t.api.post("/api/v4/status-sets", { id: "life", name: "Life", statuses })).statusCode).toBe(201);
    expect((await t.api.post("/api/v4/categories", { id: "it", name: "IT", status_set_id: "life", fields: ["kind", "in_service"] })).statusCode).toBe(201);
    expect((await t.api.post("/api/v4/categories", { id: "furniture", name: "Furniture" })).statusCode).toBe(201);
    const entries = [
      ...Array.from({ length: 5 }, (_, i) => ({ id: `lt-${i}`, category: "it", status: "active", site_id: "hq", kind: "laptop", in_service: true })),
      ...Array.from({ length: 3 }, (_, i) => ({ id: `ph-${i}`, category: "it", status: i === 0 ? "spare" : "active", site_id: "lab", kind: "phone", in_service: false })),
      ...Array.from({ length: 2 }, (_, i) => ({ id: `ch-${i}`, category: "furniture", site_id: "hq" })),
      { id: "loose-1" },
    ];
    expect((await runImport(t.api, entries)).stats).toMatchObject({ success_count: 11, failed_count: 0 });
  });
  afterAll(() => t.close());

  it("counts the assets of each category, status and site, most first, with their names", async () => {
    expect(await stats("group_by=category")).toEqual({
      group_by: "category",
      total_count: 11,
      groups: [
        { value: "it", name: "IT", count: 8 },
        { value: "furniture", name: "Furniture", count: 2 },
        { value: null, count: 1 },
      ],
      more: false,
    });
    expect((await stats("group_by=status")).groups).toEqual([
      { value: "active", name: "Active", count: 7 },
      { value: null, count: 3 },
      { value: "spare", name: "Spare", count: 1 },
    ]);
    expect((await stats("group_by=site")).groups).toEqual([
      { value: "hq", name: "Head office", count: 7 },
      { value: "lab", name: "Lab", count: 3 },
      { value: null, count: 1 },
    ]);
  });

  it("counts by a Select or Checkbox field, over the list's filters", async () => {
    // Ties by value, and no value last.
    expect((await stats("group_by=kind")).groups).toEqual([
      { value: "laptop", count: 5 },
      { value: "phone", count: 3 },
      { value: null, count: 3 },
    ]);
    expect((await stats("group_by=in_service&filter[site_id]=hq")).groups).toEqual([
      { value: true, count: 5 },
      { value: null, count: 2 },
    ]);
    const filtered = await stats("group_by=status&filter[kind]=phone");
    expect(filtered.total_count).toBe(3);
    expect(filtered.groups).toEqual([
      { value: "active", name: "Active", count: 2 },
      { value: "spare", name: "Spare", count: 1 },
    ]);
    expect((await stats("group_by=category&search=ph-")).total_count).toBe(3);
  });

  it("follows the assets as they change, and counts deleted ones only when asked", async () => {
    expect((await stats("group_by=category")).groups[1]).toEqual({ value: "furniture", name: "Furniture", count: 2 });
    expect((await t.api.delete("/api/v4/assets/ch-0")).statusCode).toBe(204);
    expect((await stats("group_by=category")).groups[1]).toEqual({ value: "furniture", name: "Furniture", count: 1 });
    expect((await stats("group_by=category&include_inactive=true")).groups[1]).toEqual({ value: "furniture", name: "Furniture", count: 2 });
  });

  it("keeps the dashboard's counts exact through every kind of change, as a fresh count gives them", async () => {
    // A filter that every asset passes makes the service count afresh rather than bring its tally up to date.
    const fresh = "&filter[id][ne]=no-such-asset";
    const groupings = ["group_by=category", "group_by=status", "group_by=site", "group_by=category&include_inactive=true", "group_by=site&include_inactive=true"];
    const expectExact = async (after: string) => {
      for (const grouping of groupings) {
        const [kept, counted] = await Promise.all([stats(grouping), stats(grouping + fresh)]);
        expect({ after, grouping, groups: kept.groups, total: kept.total_count }).toEqual({ after, grouping, groups: counted.groups, total: counted.total_count });
      }
    };
    await expectExact("the import");
    expect((await t.api.patch("/api/v4/assets/lt-0", { category: "furniture", status: null, site_id: "lab" })).statusCode).toBe(200);
    await expectExact("a change of category, status and site");
    expect((await t.api.delete("/api/v4/assets/lt-1")).statusCode).toBe(204);
    expect((await t.api.patch("/api/v4/assets/lt-2", { name: "Renamed" })).statusCode).toBe(200);
    await expectExact("a delete and a rename");
    expect((await t.api.post("/api/v4/assets/lt-1/restore")).statusCode).toBe(200);
    expect((await t.api.post("/api/v4/assets", { id: "new-1", name: "New", category: "it", status: "spare", site_id: "hq" })).statusCode).toBe(201);
    await expectExact("a restore and a create");
    // An import changing an asset twice in one batch, creating one, and naming a deleted one (which restores it).
    expect((await t.api.delete("/api/v4/assets/ph-1")).statusCode).toBe(204);
    const entries = [
      { id: "ph-2", site_id: "hq" },
      { id: "ph-2", site_id: "lab", status: "spare" },
      { id: "ph-1", category: "furniture" },
      { id: "imp-1", name: "Imported", site_id: "hq" },
    ];
    expect((await runImport(t.api, entries)).stats).toMatchObject({ failed_count: 0 });
    await expectExact("an import");
  });

  it("counts by site exactly after a change to an asset last changed before the states recorded a site (migration 011)", async () => {
    const db = t.services.database.db as unknown as Kysely<unknown>;
    // As a database migrated past 008 left them: the states recorded before it have no site.
    await sql`update asset_changes set site_id = null`.execute(db);
    await fillLatestChangeSites(db);
    const before = await stats("group_by=site");
    expect((await t.api.patch("/api/v4/assets/lt-3", { site_id: "lab" })).statusCode).toBe(200);
    const after = await stats("group_by=site");
    const counted = await stats("group_by=site&filter[id][ne]=no-such-asset");
    expect(after.groups).toEqual(counted.groups);
    const count = (groups: Array<{ value: string | null; count: number }>, site: string) => groups.find((g) => g.value === site)?.count ?? 0;
    expect(count(after.groups, "lab")).toBe(count(before.groups, "lab") + 1);
  });

  it("refuses what it cannot group by, and a filter it does not know", async () => {
    const notGrouped = await t.api.get("/api/v4/asset-stats?group_by=name");
    expect(notGrouped.statusCode).toBe(400);
    expect(notGrouped.json().error).toBe("group_by takes category, status, site or a Select or Checkbox field: there is no field 'name'");
    await createField(t.api, { name: "price", type: "Number" });
    expect((await t.api.get("/api/v4/asset-stats?group_by=price")).json().error).toMatch(/'price' is a Number field/);
    expect((await t.api.get("/api/v4/asset-stats")).statusCode).toBe(400);
    // Names of Object's own properties are names like any other (the fuzz test found a 500 here).
    for (const name of ["toString", "constructor", "__proto__"]) {
      const res = await t.api.get(`/api/v4/asset-stats?group_by=${name}`);
      expect([res.statusCode, res.json().error]).toEqual([400, `group_by takes category, status, site or a Select or Checkbox field: there is no field '${name}'`]);
    }
    expect((await t.api.get("/api/v4/asset-stats?group_by=site&filter[nope]=1")).json().error).toMatch(/no field named 'nope'/);
    expect((await t.api.get("/api/v4/asset-stats?group_by=site&limit=5")).statusCode).toBe(400);
  });
});
