import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, fullReport, login, runFileImport, runImport, startTestApp, type Client, type TestApp } from "../helpers/app.js";
import { createTenantAdmin } from "../helpers/tenants.js";

// The asset model (docs/assets.md, "Categories and status sets" and "The
// asset model"): description, tags, category, status and site_id through
// API writes and imports, the refusals that keep assets' statuses in their
// sets, history, and the export's round trip.

const A = "/api/v4/assets";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PASSWORD = "model-password-1";

const FIELDS = [
  { name: "voltage", type: "Number" },
  { name: "flow", type: "Number" },
  { name: "serial", type: "SingleLineText" },
  { name: "notes", type: "SingleLineText" },
];
const LIFECYCLE = [
  { id: "new", name: "New" },
  { id: "in-service", name: "In service" },
  { id: "retired", name: "Retired" },
];
const PUMP_STATES = [
  { id: "running", name: "Running" },
  { id: "stopped", name: "Stopped" },
  { id: "retired", name: "Retired" },
];

/**
 * plant (lifecycle; serial)
 *   pump "Pumps" (pump-states; flow)
 *   valve "Valves" (inherits lifecycle and serial)
 * electrical (lifecycle; voltage), bare (no set, no fields), motor-a and motor-b (both named "Motor").
 * Sites: depot-1 and depot-2 (both "Depot"), hq "Headquarters".
 */
async function buildCatalog(api: Client): Promise<void> {
  for (const field of FIELDS) await createField(api, field);
  const created = async (url: string, body: object) => {
    const res = await api.post(url, body);
    if (res.statusCode !== 201) throw new Error(`${url} ${JSON.stringify(body)}: ${res.statusCode} ${res.body}`);
  };
  await created("/api/v4/status-sets", { id: "lifecycle", name: "Lifecycle", statuses: LIFECYCLE });
  await created("/api/v4/status-sets", { id: "pump-states", name: "Pump states", statuses: PUMP_STATES });
  await created("/api/v4/categories", { id: "plant", name: "Plant", status_set_id: "lifecycle", fields: ["serial"] });
  await created("/api/v4/categories", { id: "pump", name: "Pumps", parent_id: "plant", status_set_id: "pump-states", fields: ["flow"] });
  await created("/api/v4/categories", { id: "valve", name: "Valves", parent_id: "plant" });
  await created("/api/v4/categories", { id: "electrical", name: "Electrical", status_set_id: "lifecycle", fields: ["voltage"] });
  await created("/api/v4/categories", { id: "bare", name: "Bare" });
  await created("/api/v4/categories", { id: "motor-a", name: "Motor" });
  await created("/api/v4/categories", { id: "motor-b", name: "Motor" });
  await created("/api/v4/sites", { id: "depot-1", name: "Depot" });
  await created("/api/v4/sites", { id: "depot-2", name: "Depot" });
  await created("/api/v4/sites", { id: "hq", name: "Headquarters" });
}

/** A 400 of the assets API with one problem. */
const refused = (message: string) => ({ code: 400, error: message, details: [{ message }] });

describe("the asset model", () => {
  let t: TestApp;
  let api: Client;
  // Small batches, so that imports here span several batches.
  beforeAll(async () => {
    t = await startTestApp({ IMPORT_BATCH_SIZE: "50" });
    api = t.api;
    await buildCatalog(api);
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>) => api.post(A, { name: `Asset ${String(body.id)}`, ...body });
  const patch = (id: string, body: Record<string, unknown>) => api.patch(`${A}/${id}`, body);
  async function get(id: string): Promise<Record<string, any>> {
    const res = await api.get(`${A}/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  async function created(body: Record<string, unknown>): Promise<Record<string, any>> {
    const res = await create(body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  async function patched(id: string, body: Record<string, unknown>): Promise<Record<string, any>> {
    const res = await patch(id, body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  async function report(status: Record<string, any>) {
    return fullReport(api, `&import_id=${status.import_id}`);
  }

  describe("API writes", () => {
    it("take a description of up to 5,000 characters, and clear it with null or an empty text", async () => {
      expect((await created({ id: "desc-1", description: "x".repeat(5000) })).description).toBe("x".repeat(5000));
      // Characters, not UTF-16 units.
      expect((await created({ id: "desc-2", description: "😀".repeat(5000) })).description).toHaveLength(10_000);
      const tooLong = await create({ id: "desc-3", description: "x".repeat(5001) });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json()).toEqual(refused("description: longer than 5000 characters or not text"));
      expect((await api.get(`${A}/desc-3`)).statusCode).toBe(404);
      expect((await create({ id: "desc-3", description: true })).json()).toEqual(refused("description: longer than 5000 characters or not text"));

      expect((await patched("desc-1", { description: "Pump by the gate,\n\"north\" side" })).description).toBe("Pump by the gate,\n\"north\" side");
      expect((await patched("desc-1", { description: "" })).description).toBeNull();
      await patched("desc-1", { description: "again" });
      expect((await patched("desc-1", { description: null })).description).toBeNull();
      expect((await created({ id: "desc-4" })).description).toBeNull();
    });

    it("take tags as a list or as one comma-separated text: trimmed, deduplicated, [] when none", async () => {
      expect((await created({ id: "tags-1", tags: [" red", "blue ", "red", "", "  ", "Red"] })).tags).toEqual(["red", "blue", "Red"]);
      expect((await created({ id: "tags-2", tags: " red, blue ,red,, green" })).tags).toEqual(["red", "blue", "green"]);
      expect((await created({ id: "tags-3" })).tags).toEqual([]);
      expect((await get("tags-2")).tags).toEqual(["red", "blue", "green"]);
      expect((await patched("tags-2", { tags: "yellow" })).tags).toEqual(["yellow"]);
      expect((await patched("tags-2", { tags: [] })).tags).toEqual([]);
      await patched("tags-2", { tags: ["a"] });
      expect((await patched("tags-2", { tags: " , " })).tags).toEqual([]);
      await patched("tags-2", { tags: ["a"] });
      // null clears, as for any value.
      expect((await patched("tags-2", { tags: null })).tags).toEqual([]);

      const message = "tags: give a list of tags, or one text of tags separated by commas (each at most 255 characters, at most 100)";
      for (const tags of [["a,b"], ["ok", 5], "x".repeat(256), Array.from({ length: 101 }, (_, i) => `t${i}`), true, { a: 1 }]) {
        const res = await create({ id: "tags-4", tags });
        expect(res.json(), JSON.stringify(tags)).toEqual(refused(message));
      }
      expect((await api.get(`${A}/tags-4`)).statusCode).toBe(404);
      // The limits themselves are allowed.
      expect((await created({ id: "tags-5", tags: ["y".repeat(255), ...Array.from({ length: 99 }, (_, i) => `t${i}`)] })).tags).toHaveLength(100);
      expect((await patch("tags-1", { tags: ["a,b"] })).json()).toEqual(refused(message));
      expect((await get("tags-1")).tags).toEqual(["red", "blue", "Red"]);
    });

    it("take a category by ID or by a name only one category has, and store its ID", async () => {
      expect((await created({ id: "cat-1", category: "pump" })).category).toBe("pump");
      expect((await created({ id: "cat-2", category: "PUMPS" })).category).toBe("pump");
      expect((await created({ id: "cat-3", category: "Valves" })).category).toBe("valve");
      expect((await get("cat-2")).category).toBe("pump");

      expect((await create({ id: "cat-4", category: "motor" })).json()).toEqual(refused("category: 2 categories are named 'motor' (motor-a, motor-b): give the ID"));
      expect((await created({ id: "cat-4", category: "motor-b" })).category).toBe("motor-b");
      expect((await create({ id: "cat-5", category: "Pumpen" })).json()).toEqual(refused("category: no category with the ID or name 'Pumpen'"));
      expect((await create({ id: "cat-5", category: true })).json()).toEqual(refused("category: give an ID or a name"));
      expect((await api.get(`${A}/cat-5`)).statusCode).toBe(404);
      expect((await patch("cat-1", { category: "nope" })).json()).toEqual(refused("category: no category with the ID or name 'nope'"));
      expect((await get("cat-1")).category).toBe("pump");
    });

    it("take a status by ID or name from the category's status set, and refuse any other", async () => {
      expect(await created({ id: "st-1", category: "pump", status: "stopped" })).toMatchObject({ category: "pump", status: "stopped" });
      expect((await created({ id: "st-2", category: "pump", status: "Stopped" })).status).toBe("stopped");
      expect((await created({ id: "st-3", category: "electrical", status: "in SERVICE" })).status).toBe("in-service");

      const outside = await create({ id: "st-4", category: "pump", status: "in-service" });
      expect(outside.statusCode).toBe(400);
      expect(outside.json()).toEqual(refused("status: 'in-service' is not a status of category 'pump' (status set 'pump-states')"));
      expect((await create({ id: "st-4", status: "new" })).json()).toEqual(
        refused("status: the asset has no category, and a status comes from its category's status set"),
      );
      expect((await create({ id: "st-4", category: "bare", status: "new" })).json()).toEqual(refused("status: category 'bare' has no status set"));
      expect((await api.get(`${A}/st-4`)).statusCode).toBe(404);

      // A status alone is checked against the asset's stored category.
      expect((await patched("st-1", { status: "Running" })).status).toBe("running");
      expect((await patch("st-1", { status: "new" })).json()).toEqual(refused("status: 'new' is not a status of category 'pump' (status set 'pump-states')"));
      expect((await get("st-1")).status).toBe("running");
      await created({ id: "st-5" });
      expect((await patch("st-5", { status: "new" })).json()).toEqual(
        refused("status: the asset has no category, and a status comes from its category's status set"),
      );
      // A status with a new category is checked against the new one.
      expect(await patched("st-1", { category: "electrical", status: "retired" })).toMatchObject({ category: "electrical", status: "retired" });
    });

    it("give a new asset its category's first status, and keep or replace the status as the category changes", async () => {
      expect(await created({ id: "chg-1", category: "pump" })).toMatchObject({ category: "pump", status: "running" });
      expect(await created({ id: "chg-2", category: "valve" })).toMatchObject({ category: "valve", status: "new" });
      expect(await created({ id: "chg-3", category: "bare" })).toMatchObject({ category: "bare", status: null });
      expect(await created({ id: "chg-4" })).toMatchObject({ category: null, status: null });

      // pump-states -> lifecycle: 'retired' is in both, 'running' is not.
      await patched("chg-1", { status: "retired" });
      expect(await patched("chg-1", { category: "valve" })).toMatchObject({ category: "valve", status: "retired" });
      await created({ id: "chg-5", category: "pump" });
      expect(await patched("chg-5", { category: "Valves" })).toMatchObject({ category: "valve", status: "new" });
      // Back to pump: 'new' is not a pump state.
      expect(await patched("chg-5", { category: "pump" })).toMatchObject({ category: "pump", status: "running" });
      // A category without a status set leaves the status empty.
      expect(await patched("chg-5", { category: "bare" })).toMatchObject({ category: "bare", status: null });
      // Clearing the category clears the status.
      expect(await patched("chg-1", { category: null })).toMatchObject({ category: null, status: null });
      expect(await get("chg-1")).toMatchObject({ category: null, status: null });
      // An asset that gets its first category gets the set's first status.
      expect(await patched("chg-4", { category: "electrical" })).toMatchObject({ category: "electrical", status: "new" });
      // A status can be cleared while the asset keeps its category.
      expect(await patched("chg-4", { status: null })).toMatchObject({ category: "electrical", status: null });
    });

    it("let a subcategory inherit its parent's status set and fields, and take only the fields of the asset's category", async () => {
      // valve inherits lifecycle and 'serial' from plant.
      expect(await created({ id: "sub-1", category: "valve", status: "In service", serial: "V-1" })).toMatchObject({ status: "in-service", serial: "V-1" });
      expect((await create({ id: "sub-2", category: "valve", status: "running" })).json()).toEqual(
        refused("status: 'running' is not a status of category 'valve' (status set 'lifecycle')"),
      );
      // pump has its own set, and its fields plus plant's.
      expect(await created({ id: "sub-2", category: "pump", serial: "P-2", flow: 2.5 })).toMatchObject({ serial: "P-2", flow: 2.5 });
      expect((await create({ id: "sub-3", category: "valve", flow: 3 })).json()).toEqual(refused("flow: field 'flow' does not apply to category 'valve'"));
      expect((await create({ id: "sub-3", category: "pump", voltage: 230 })).json()).toEqual(refused("voltage: field 'voltage' does not apply to category 'pump'"));
      expect((await create({ id: "sub-3", category: "bare", notes: "n" })).json()).toEqual(refused("notes: field 'notes' does not apply to category 'bare'"));
      expect((await api.get(`${A}/sub-3`)).statusCode).toBe(404);
      // Without a category, every field.
      expect(await created({ id: "sub-3", voltage: 230, flow: 1, serial: "S", notes: "N" })).toMatchObject({ voltage: 230, flow: 1, serial: "S", notes: "N", category: null });
      // Values already stored stay when the asset takes a category; new ones must apply.
      expect(await patched("sub-3", { category: "pump" })).toMatchObject({ category: "pump", voltage: 230, flow: 1, serial: "S", notes: "N" });
      expect((await patch("sub-3", { voltage: 110 })).json()).toEqual(refused("voltage: field 'voltage' does not apply to category 'pump'"));
      expect(await patched("sub-3", { flow: 4, voltage: null })).toMatchObject({ flow: 4, category: "pump" });
      expect((await get("sub-3")).voltage).toBeUndefined();
      // A field checked against the category the same write gives.
      expect(await patched("sub-3", { category: "electrical", voltage: 400 })).toMatchObject({ category: "electrical", voltage: 400 });
      const both = await patch("sub-1", { category: "pump", voltage: 1 });
      expect(both.json()).toEqual(refused("voltage: field 'voltage' does not apply to category 'pump'"));
      expect(await get("sub-1")).toMatchObject({ category: "valve", status: "in-service" });
    });

    it("place an asset at a site by ID or a name only one site has, and read back its name", async () => {
      expect(await created({ id: "site-1", site_id: "hq" })).toMatchObject({ site_id: "hq", site_name: "Headquarters" });
      expect(await created({ id: "site-2", site_id: "Headquarters" })).toMatchObject({ site_id: "hq", site_name: "Headquarters" });
      expect(await created({ id: "site-3", site_id: "depot-2" })).toMatchObject({ site_id: "depot-2", site_name: "Depot" });
      expect((await create({ id: "site-4", site_id: "Depot" })).json()).toEqual(refused("site_id: 2 sites are named 'Depot' (depot-1, depot-2): give the ID"));
      expect((await create({ id: "site-4", site_id: "nowhere" })).json()).toEqual(refused("site_id: no site with the ID or name 'nowhere'"));
      expect((await create({ id: "site-4", site_name: "Headquarters" })).json()).toEqual(refused("site_name: 'site_name' is a system field and cannot be imported"));
      expect((await api.get(`${A}/site-4`)).statusCode).toBe(404);
      expect(await patched("site-1", { site_id: "depot-1" })).toMatchObject({ site_id: "depot-1", site_name: "Depot" });
      expect(await patched("site-1", { site_id: null })).toMatchObject({ site_id: null, site_name: null });
      // A renamed site is read back under its new name.
      await api.patch("/api/v4/sites/hq", { name: "Head office" });
      expect(await get("site-2")).toMatchObject({ site_id: "hq", site_name: "Head office" });
      await api.patch("/api/v4/sites/hq", { name: "Headquarters" });
    });

    it("return every attribute on read, and list every problem of a write at once", async () => {
      await created({ id: "all-1", description: "A pump", tags: "wet, loud", category: "Pumps", status: "stopped", site_id: "hq", serial: "P-9", flow: 7 });
      const res = await api.get(`${A}/all-1`);
      expect(res.json()).toMatchObject({
        id: "all-1",
        name: "Asset all-1",
        description: "A pump",
        tags: ["wet", "loud"],
        category: "pump",
        status: "stopped",
        site_id: "hq",
        site_name: "Headquarters",
        serial: "P-9",
        flow: 7,
      });
      const list = (await api.get(`${A}?ids=all-1`)).json().collection;
      expect(list).toEqual([res.json()]);

      const many = await create({ id: "all-2", category: "nope", description: "x".repeat(5001), voltage: "high" });
      expect(many.statusCode).toBe(400);
      expect(many.json().error).toBe("category: no category with the ID or name 'nope'");
      expect(many.json().details.map((d: { message: string }) => d.message)).toEqual(
        expect.arrayContaining(["description: longer than 5000 characters or not text", "voltage: Invalid value found for field 'voltage' of type: 'Number': bad request"]),
      );
    });
  });

  describe("imports", () => {
    it("fail entries whose references resolve to nothing, and warn about what does not fit", async () => {
      const status = await runImport(api, [
        { id: "imp-1", name: "Imp 1", category: "Pumpen" },
        { id: "imp-2", name: "Imp 2", category: "pump", status: "broken" },
        { id: "imp-3", name: "Imp 3", site_id: "Depot" },
        { id: "imp-4", name: "Imp 4", category: "Motor" },
        { id: "imp-5", name: "Imp 5", status: "new" },
        { id: "imp-6", name: "Imp 6", category: "valve", flow: 2, serial: "V-6" },
        { id: "imp-7", name: "Imp 7", description: "x".repeat(5001), tags: ["a,b"], notes: "kept" },
        { id: "imp-8", name: "Imp 8", category: "Pumps", status: "Stopped", site_id: "Headquarters", tags: "a, b,a", description: "ok", site_name: "X" },
        { id: "imp-9", name: "Imp 9", site_id: "nowhere" },
        { id: "imp-10", name: "Imp 10", category: "bare", status: "new" },
      ]);
      expect(status.stats).toMatchObject({ total_count: 10, success_count: 3, failed_count: 7, warning_count: 3 });
      expect(await report(status)).toEqual([
        { entry_num: 1, status: "FAILED", message: "category: no category with the ID or name 'Pumpen'" },
        { entry_num: 2, status: "FAILED", message: "status: 'broken' is not a status of category 'pump' (status set 'pump-states')" },
        { entry_num: 3, status: "FAILED", message: "site_id: 2 sites are named 'Depot' (depot-1, depot-2): give the ID" },
        { entry_num: 4, status: "FAILED", message: "category: 2 categories are named 'Motor' (motor-a, motor-b): give the ID" },
        { entry_num: 5, status: "FAILED", message: "status: the asset has no category, and a status comes from its category's status set" },
        { entry_num: 6, status: "WARNING", message: "flow: field 'flow' does not apply to category 'valve'; left out" },
        { entry_num: 6, status: "SUCCESS", action: "created" },
        { entry_num: 7, status: "WARNING", message: "description: longer than 5000 characters or not text; left out" },
        {
          entry_num: 7,
          status: "WARNING",
          message: "tags: give a list of tags, or one text of tags separated by commas (each at most 255 characters, at most 100); left out",
        },
        { entry_num: 7, status: "SUCCESS", action: "created" },
        { entry_num: 8, status: "WARNING", message: "site_name: 'site_name' is a system field and cannot be imported" },
        { entry_num: 8, status: "SUCCESS", action: "created" },
        { entry_num: 9, status: "FAILED", message: "site_id: no site with the ID or name 'nowhere'" },
        { entry_num: 10, status: "FAILED", message: "status: category 'bare' has no status set" },
      ]);
      for (const id of ["imp-1", "imp-2", "imp-3", "imp-4", "imp-5", "imp-9", "imp-10"]) expect((await api.get(`${A}/${id}`)).statusCode, id).toBe(404);
      const imp6 = await get("imp-6");
      expect(imp6).toMatchObject({ category: "valve", status: "new", serial: "V-6" });
      expect(imp6.flow).toBeUndefined();
      expect(await get("imp-7")).toMatchObject({ description: null, tags: [], notes: "kept" });
      expect(await get("imp-8")).toMatchObject({ category: "pump", status: "stopped", site_id: "hq", site_name: "Headquarters", tags: ["a", "b"], description: "ok" });
    });

    it("check a status alone against the asset's stored category, and keep or replace it as the category changes", async () => {
      await created({ id: "sto-1", category: "pump" });
      await created({ id: "sto-2", category: "valve" });
      await created({ id: "sto-3" });
      await created({ id: "sto-4", category: "pump", status: "retired" });
      await created({ id: "sto-5", category: "pump", status: "stopped" });
      await created({ id: "sto-6", category: "pump", status: "stopped" });
      const status = await runImport(api, [
        { id: "sto-1", status: "Stopped" },
        { id: "sto-2", status: "running" },
        { id: "sto-3", status: "new" },
        { id: "sto-4", category: "valve" },
        { id: "sto-5", category: "valve" },
        { id: "sto-2", status: "retired" },
        // The only entry of its asset, and it fails: the import still ends.
        { id: "sto-6", status: "in-service" },
      ]);
      expect(status).toMatchObject({ status: "COMPLETED", stats: { total_count: 7, success_count: 4, failed_count: 3 } });
      expect(await report(status)).toEqual([
        { entry_num: 1, status: "SUCCESS", action: "updated" },
        { entry_num: 2, status: "FAILED", message: "status: 'running' is not a status of category 'valve' (status set 'lifecycle')" },
        { entry_num: 3, status: "FAILED", message: "status: the asset has no category, and a status comes from its category's status set" },
        { entry_num: 4, status: "SUCCESS", action: "updated" },
        { entry_num: 5, status: "SUCCESS", action: "updated" },
        { entry_num: 6, status: "SUCCESS", action: "updated" },
        { entry_num: 7, status: "FAILED", message: "status: 'in-service' is not a status of category 'pump' (status set 'pump-states')" },
      ]);
      expect((await get("sto-6")).status).toBe("stopped");
      expect((await get("sto-1")).status).toBe("stopped");
      expect((await get("sto-2")).status).toBe("retired");
      expect(await get("sto-3")).toMatchObject({ category: null, status: null });
      expect(await get("sto-4")).toMatchObject({ category: "valve", status: "retired" });
      expect(await get("sto-5")).toMatchObject({ category: "valve", status: "new" });
    });

    it("clear attributes on null, unless null_values=ignore", async () => {
      const full = { category: "pump", status: "stopped", tags: ["a"], description: "d", site_id: "hq" };
      await created({ id: "nul-1", ...full });
      const nulls = { id: "nul-1", category: null, status: null, tags: null, description: null, site_id: null };
      const ignored = await runImport(api, [nulls], "?null_values=ignore");
      expect(await report(ignored)).toEqual([{ entry_num: 1, status: "SUCCESS", action: "unchanged" }]);
      expect(await get("nul-1")).toMatchObject(full);
      const cleared = await runImport(api, [nulls]);
      expect(await report(cleared)).toEqual([{ entry_num: 1, status: "SUCCESS", action: "updated" }]);
      expect(await get("nul-1")).toMatchObject({ category: null, status: null, tags: [], description: null, site_id: null, site_name: null });
    });

    it("check an entry's status against the category an earlier entry of the same import gave the asset", async () => {
      const status = await runImport(api, [
        { id: "dup-1", name: "Dup 1", category: "pump" },
        { id: "dup-1", status: "Stopped" },
        { id: "dup-2", name: "Dup 2", category: "valve" },
        { id: "dup-2", status: "stopped" },
        { id: "dup-3", name: "Dup 3", category: "pump", status: "retired" },
        { id: "dup-3", category: "valve" },
      ]);
      expect(await report(status)).toEqual([
        { entry_num: 1, status: "SUCCESS", action: "created" },
        { entry_num: 2, status: "WARNING", message: "id: ID 'dup-1' was already imported by entry 1; this entry is applied after it" },
        { entry_num: 2, status: "SUCCESS", action: "updated" },
        { entry_num: 3, status: "SUCCESS", action: "created" },
        { entry_num: 4, status: "FAILED", message: "status: 'stopped' is not a status of category 'valve' (status set 'lifecycle')" },
        { entry_num: 5, status: "SUCCESS", action: "created" },
        { entry_num: 6, status: "WARNING", message: "id: ID 'dup-3' was already imported by entry 5; this entry is applied after it" },
        { entry_num: 6, status: "SUCCESS", action: "updated" },
      ]);
      expect(await get("dup-1")).toMatchObject({ category: "pump", status: "stopped" });
      expect(await get("dup-2")).toMatchObject({ category: "valve", status: "new" });
      expect(await get("dup-3")).toMatchObject({ category: "valve", status: "retired" });
    });

    it("check a status against an earlier entry's category across batches, written or only validated (all_or_none)", async () => {
      // Batches of 50: entries 50 and 51 are in different batches.
      const filler = (prefix: string) => Array.from({ length: 49 }, (_, i) => ({ id: `${prefix}-f${i}`, name: `Filler ${i}` }));
      const written = await runImport(api, [...filler("xb"), { id: "xb-1", name: "Across", category: "pump" }, { id: "xb-1", status: "stopped" }]);
      expect(written.stats).toMatchObject({ total_count: 51, success_count: 51, failed_count: 0 });
      expect(await get("xb-1")).toMatchObject({ category: "pump", status: "stopped" });

      const validated = await runImport(api, [...filler("ao"), { id: "ao-1", name: "Across", category: "pump" }, { id: "ao-1", status: "stopped" }], "?all_or_none=true");
      expect(validated.stats).toMatchObject({ total_count: 51, success_count: 51, failed_count: 0 });
      expect(await get("ao-1")).toMatchObject({ category: "pump", status: "stopped" });

      // And all_or_none writes nothing when the later entry's status is not in the earlier entry's category's set.
      const refusedAll = await runImport(api, [...filler("an"), { id: "an-1", name: "Across", category: "valve" }, { id: "an-1", status: "stopped" }], "?all_or_none=true");
      expect(refusedAll).toMatchObject({ status: "FAILED", error: "all_or_none: 1 of 51 entries failed; nothing was imported", stats: { success_count: 0, failed_count: 51 } });
      expect((await report(refusedAll)).filter((r) => r.entry_num === 51)).toEqual([
        { entry_num: 51, status: "FAILED", message: "status: 'stopped' is not a status of category 'valve' (status set 'lifecycle')" },
      ]);
      expect((await api.get(`${A}/an-1`)).statusCode).toBe(404);
    });

    it("accept a status-only import of more than 100 existing assets: the sample check does not count statuses", async () => {
      const ids = Array.from({ length: 120 }, (_, i) => `bulk-${String(i).padStart(3, "0")}`);
      expect((await runImport(api, ids.map((id) => ({ id, name: id, category: "pump" })))).stats).toMatchObject({ success_count: 120, failed_count: 0 });
      const status = await runImport(api, ids.map((id) => ({ id, status: "Stopped" })));
      expect(status.stats).toMatchObject({ total_count: 120, success_count: 120, failed_count: 0 });
      const list = (await api.get(`${A}?ids=${ids.join(",")}&limit=1000`)).json().collection as Array<{ status: string }>;
      expect(list).toHaveLength(120);
      expect(list.every((a) => a.status === "stopped")).toBe(true);

      // Statuses that their stored category's set lacks are not refused up front either: each entry fails.
      const wrong = await runImport(api, ids.map((id) => ({ id, status: "new" })));
      expect(wrong.stats).toMatchObject({ total_count: 120, success_count: 0, failed_count: 120 });

      // Other failures still are.
      const unknown = await api.post("/api/v4/assets-import", ids.map((id) => ({ id, category: "nope" })));
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error).toBe("import refused: all 100 entries of the sample would fail; first: entry 1: category: no category with the ID or name 'nope'");
    });

    it("say how to write a spreadsheet header's capitalised key, and report each of an entry's bad references once failed", async () => {
      const status = await runImport(api, [
        { id: "cap-1", name: "Caps", Category: "pump", Tags: "a" },
        { id: "cap-2", name: "Two wrong", category: "nope", site_id: "nowhere" },
      ]);
      expect(await report(status)).toEqual([
        { entry_num: 1, status: "WARNING", message: "Category: keys are case-sensitive: write 'category'" },
        { entry_num: 1, status: "WARNING", message: "Tags: keys are case-sensitive: write 'tags'" },
        { entry_num: 1, status: "SUCCESS", action: "created" },
        // The import reports an entry's first failure (the contract's one FAILED row); the API lists them all.
        { entry_num: 2, status: "FAILED", message: "site_id: no site with the ID or name 'nowhere'" },
      ]);
    });
  });

  describe("in-use refusals", () => {
    it("refuse to delete a category an asset has, a deleted asset included", async () => {
      await api.post("/api/v4/categories", { id: "kiosk", name: "Kiosk" });
      await created({ id: "use-1", category: "kiosk" });
      const message = "category 'kiosk' has assets (deleted ones included, as they may be restored): give them another category first";
      expect((await api.delete("/api/v4/categories/kiosk")).json()).toEqual({ code: 409, error: message });
      expect((await api.delete(`${A}/use-1`)).statusCode).toBe(204);
      expect((await api.delete("/api/v4/categories/kiosk")).json()).toEqual({ code: 409, error: message });
      expect((await api.get("/api/v4/categories/kiosk")).statusCode).toBe(200);
      await api.post(`${A}/use-1/restore`);
      await patched("use-1", { category: null });
      expect((await api.delete("/api/v4/categories/kiosk")).statusCode).toBe(204);
      expect((await api.get("/api/v4/categories/kiosk")).statusCode).toBe(404);
    });

    it("refuse status set and category changes that would leave an asset with a status its set lacks, changing nothing", async () => {
      const ops = [{ id: "a", name: "A" }, { id: "b", name: "B" }, { id: "c", name: "C" }];
      await api.post("/api/v4/status-sets", { id: "ops", name: "Ops", statuses: ops });
      await api.post("/api/v4/status-sets", { id: "ops2", name: "Ops 2", statuses: [{ id: "a", name: "A" }, { id: "x", name: "X" }] });
      await api.post("/api/v4/categories", { id: "rig", name: "Rig", status_set_id: "ops" });
      await api.post("/api/v4/categories", { id: "rig-sub", name: "Rig sub", parent_id: "rig" });
      await api.post("/api/v4/categories", { id: "other", name: "Other", status_set_id: "ops2" });
      // The asset's status comes from rig's set, through rig-sub.
      expect(await created({ id: "rig-1", category: "rig-sub", status: "b" })).toMatchObject({ status: "b" });
      const version = (await get("rig-1")).version;

      const dropped = await api.patch("/api/v4/status-sets/ops", { statuses: [ops[0], ops[2]] });
      expect(dropped.json()).toEqual({ code: 409, error: "status 'b' is still the status of assets: give them another status first" });
      expect((await api.get("/api/v4/status-sets/ops")).json().statuses).toEqual(ops);
      // Renaming a status or reordering keeps the IDs, and is allowed.
      const renamed = [ops[2], ops[0], { id: "b", name: "Bee" }];
      expect((await api.patch("/api/v4/status-sets/ops", { statuses: renamed })).statusCode).toBe(200);

      const stranded = (category: string) => ({
        code: 409,
        error: `assets of category '${category}' have the status 'b', which the category's new status set does not have: give them another status first`,
      });
      expect((await api.patch("/api/v4/categories/rig-sub", { status_set_id: "ops2" })).json()).toEqual(stranded("rig-sub"));
      expect((await api.patch("/api/v4/categories/rig-sub", { parent_id: "other" })).json()).toEqual(stranded("rig-sub"));
      expect((await api.patch("/api/v4/categories/rig-sub", { parent_id: null })).json()).toEqual(stranded("rig-sub"));
      expect((await api.patch("/api/v4/categories/rig", { status_set_id: "ops2", name: "Rig renamed" })).json()).toEqual(stranded("rig-sub"));
      expect((await api.get("/api/v4/categories/rig-sub")).json()).toMatchObject({ parent_id: "rig", status_set_id: null, effective_status_set_id: "ops" });
      expect((await api.get("/api/v4/categories/rig")).json()).toMatchObject({ name: "Rig", status_set_id: "ops" });
      expect(await get("rig-1")).toMatchObject({ category: "rig-sub", status: "b", version });
      // The catalog still works as before: 'b' is a status of rig-sub.
      expect((await created({ id: "rig-2", category: "rig-sub", status: "Bee" })).status).toBe("b");
      await patched("rig-2", { category: null });

      // A deleted asset counts too.
      await api.delete(`${A}/rig-1`);
      expect((await api.patch("/api/v4/categories/rig-sub", { status_set_id: "ops2" })).json()).toEqual(stranded("rig-sub"));
      await api.post(`${A}/rig-1/restore`);

      // Once the asset has a status both sets have, the same changes go through.
      await patched("rig-1", { status: "a" });
      const moved = await api.patch("/api/v4/categories/rig-sub", { parent_id: "other" });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toMatchObject({ parent_id: "other", effective_status_set_id: "ops2" });
      expect(await get("rig-1")).toMatchObject({ category: "rig-sub", status: "a" });
      expect((await patched("rig-1", { status: "x" })).status).toBe("x");
      expect((await api.patch("/api/v4/status-sets/ops", { statuses: [ops[0]] })).statusCode).toBe(200);
      // rig-sub now uses ops2, which has no 'b'.
      expect((await patch("rig-1", { status: "b" })).json()).toEqual(refused("status: 'b' is not a status of category 'rig-sub' (status set 'ops2')"));
    });
  });

  describe("history", () => {
    it("lists changes of description, tags, category, status and site_id like values", async () => {
      await created({ id: "his-1", description: "first", tags: ["a"], category: "pump", site_id: "hq", flow: 1 });
      await patched("his-1", { category: "valve", tags: "a, b", description: null, site_id: "depot-1" });
      await patched("his-1", { status: "in-service" });
      await patched("his-1", { category: null, tags: [] });
      const res = await api.get(`${A}/his-1/changes?limit=100`);
      expect(res.statusCode, res.body).toBe(200);
      const changes = (res.json().collection as Array<{ action: string; changes: Array<{ field: string }> }>).map((c) => ({
        action: c.action,
        changes: [...c.changes].sort((x, y) => (x.field < y.field ? -1 : 1)),
      }));
      expect(changes).toEqual([
        {
          action: "updated",
          changes: [
            { field: "category", old: "valve", new: null },
            { field: "status", old: "in-service", new: null },
            { field: "tags", old: ["a", "b"], new: [] },
          ],
        },
        { action: "updated", changes: [{ field: "status", old: "new", new: "in-service" }] },
        {
          action: "updated",
          changes: [
            { field: "category", old: "pump", new: "valve" },
            { field: "description", old: "first", new: null },
            { field: "site_id", old: "hq", new: "depot-1" },
            { field: "status", old: "running", new: "new" },
            { field: "tags", old: ["a"], new: ["a", "b"] },
          ],
        },
        {
          action: "created",
          changes: [
            { field: "category", old: null, new: "pump" },
            { field: "description", old: null, new: "first" },
            { field: "flow", old: null, new: 1 },
            { field: "name", old: null, new: "Asset his-1" },
            { field: "site_id", old: null, new: "hq" },
            { field: "status", old: null, new: "running" },
            { field: "tags", old: [], new: ["a"] },
          ],
        },
      ]);
    });

    it("records a change made by an import with its attributes", async () => {
      await created({ id: "his-2", category: "pump" });
      const status = await runImport(api, [{ id: "his-2", status: "Retired", tags: "x", description: "From the import" }]);
      const [latest] = (await api.get(`${A}/his-2/changes`)).json().collection;
      expect(latest).toMatchObject({ action: "updated", source: "import", import_id: status.import_id, entry_num: 1 });
      expect([...latest.changes].sort((x: { field: string }, y: { field: string }) => (x.field < y.field ? -1 : 1))).toEqual([
        { field: "description", old: null, new: "From the import" },
        { field: "status", old: "running", new: "retired" },
        { field: "tags", old: [], new: ["x"] },
      ]);
    });
  });
});

describe("export round trip of the asset model", () => {
  let t: TestApp;
  let tenants = 0;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function freshTenant(): Promise<Client> {
    tenants++;
    await createTenantAdmin(t.services.config.DATABASE_URL, `model-${tenants}`, `model-admin-${tenants}`, PASSWORD);
    const api = await login(t.app, `model-admin-${tenants}`, PASSWORD);
    await buildCatalog(api);
    return api;
  }

  const SYSTEM = ["uid", "created_at", "created_by", "updated_at", "updated_by", "version"];
  /** A tenant's assets without the fields that describe the copy. */
  async function assets(api: Client): Promise<Array<Record<string, unknown>>> {
    const res = await api.get(`${A}?limit=1000`);
    expect(res.statusCode).toBe(200);
    return (res.json().collection as Array<Record<string, unknown>>).map((a) => Object.fromEntries(Object.entries(a).filter(([k]) => !SYSTEM.includes(k))));
  }

  const ENTRIES = [
    {
      id: "rt-1",
      name: "Pump, north",
      description: 'Line one, with "quotes"\nline two',
      tags: ["wet", "loud noise", "Zürich"],
      category: "pump",
      status: "stopped",
      site_id: "hq",
      serial: "P-1",
      flow: 2.5,
    },
    { id: "rt-2", name: "Valve", category: "Valves", site_id: "depot-2", serial: "V-2", tags: "a" },
    { id: "rt-3", name: "Loose", voltage: 230, notes: "no category", tags: [] },
    { id: "rt-4", name: "Bare", category: "bare", description: "x".repeat(5000) },
    { id: "rt-5", name: "Cable", category: "electrical", status: "retired", voltage: 400 },
  ];

  it("reproduces categories, statuses, sites, tags and descriptions through json, csv and xlsx exports", async () => {
    const source = await freshTenant();
    expect((await runImport(source, ENTRIES)).stats).toMatchObject({ success_count: 5, failed_count: 0, warning_count: 0 });
    const original = await assets(source);
    expect(original.find((a) => a.id === "rt-1")).toMatchObject({ tags: ["wet", "loud noise", "Zürich"], category: "pump", status: "stopped", site_id: "hq", site_name: "Headquarters" });
    expect(original.find((a) => a.id === "rt-2")).toMatchObject({ category: "valve", status: "new", tags: ["a"] });

    const json = await source.get(`${A}-export?format=json`);
    expect(json.json()[0]).toEqual({
      id: "rt-1",
      name: "Pump, north",
      description: 'Line one, with "quotes"\nline two',
      tags: ["wet", "loud noise", "Zürich"],
      category: "pump",
      status: "stopped",
      site_id: "hq",
      serial: "P-1",
      flow: 2.5,
    });
    const csv = await source.get(`${A}-export?format=csv`);
    expect(csv.body.split("\r\n")[0]).toMatch(/^id,name,description,tags,category,status,site_id,/);
    expect(csv.body).toContain('rt-1,"Pump, north","Line one, with ""quotes""\nline two","wet,loud noise,Zürich",pump,stopped,hq,');
    const xlsx = await source.get(`${A}-export?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);

    const imports = [
      ["json", (api: Client) => runImport(api, json.json())],
      ["csv", (api: Client) => runFileImport(api, csv.rawPayload, "text/csv")],
      ["xlsx", (api: Client) => runFileImport(api, xlsx.rawPayload, XLSX)],
    ] as const;
    for (const [format, load] of imports) {
      const target = await freshTenant();
      const status = await load(target);
      expect(status.stats, format).toMatchObject({ total_count: 5, success_count: 5, failed_count: 0, warning_count: 0 });
      expect(await assets(target), format).toEqual(original);
    }

    // Into the same tenant, after changing every attribute.
    await source.patch(`${A}/rt-1`, { description: "changed", tags: "other", category: "valve", site_id: "depot-1" });
    await source.patch(`${A}/rt-5`, { category: "pump", voltage: null });
    await source.patch(`${A}/rt-2`, { status: "retired", serial: "changed" });
    expect(await assets(source)).not.toEqual(original);
    for (const [format, body] of [["csv", csv.rawPayload], ["xlsx", xlsx.rawPayload]] as const) {
      await source.patch(`${A}/rt-1`, { category: "bare", tags: "again" });
      const status = await runFileImport(source, body, format === "csv" ? "text/csv" : XLSX);
      expect(status.stats, format).toMatchObject({ success_count: 5, failed_count: 0, warning_count: 0 });
      expect(await assets(source), format).toEqual(original);
    }

    // With empty_values=clear, the empty cells of the attributes clear them: the export still re-imports without a warning.
    await source.patch(`${A}/rt-4`, { tags: "added", site_id: "hq", notes: "added" });
    await source.patch(`${A}/rt-3`, { description: "added", category: "electrical" });
    const cleared = await runFileImport(source, csv.rawPayload, "text/csv", "?empty_values=clear");
    expect(cleared.stats).toMatchObject({ success_count: 5, failed_count: 0, warning_count: 0 });
    expect(await assets(source)).toEqual(original);
  });
});
