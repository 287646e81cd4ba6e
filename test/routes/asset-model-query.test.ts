import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport, startTestApp, type Client, type TestApp } from "../helpers/app.js";

// The asset model's attributes (description, tags, category, status, site)
// in the list's filters, search, sort, projection and paging, in the export's
// filters, and in the change feed's filters (docs/assets.md, "Filters"),
// over a category tree three levels deep with siblings, on assets that have
// none, some or all of the attributes, and one deleted asset.
//
//   plant (lifecycle)                 lighting (lamp-states)      plant-annex (no status set)
//   ├─ pumps                          ├─ lamps
//   │  ├─ centrifugal                 └─ misc-b "Misc"
//   │  └─ piston
//   ├─ valves
//   └─ misc-a "Misc"

const lifecycle = [
  { id: "new", name: "New" },
  { id: "in-use", name: "In use" },
  { id: "spare", name: "Spare" },
  { id: "retired", name: "Retired" },
];
const lampStates = [
  { id: "lit", name: "Lit" },
  { id: "dark", name: "Dark" },
];

const CATEGORIES = [
  { id: "plant", name: "Plant", status_set_id: "lifecycle" },
  { id: "pumps", name: "Pumps", parent_id: "plant" },
  { id: "centrifugal", name: "Centrifugal", parent_id: "pumps" },
  { id: "piston", name: "Piston", parent_id: "pumps" },
  { id: "valves", name: "Valves", parent_id: "plant" },
  { id: "misc-a", name: "Misc", parent_id: "plant" },
  { id: "lighting", name: "Lighting", status_set_id: "lamp-states" },
  { id: "lamps", name: "Lamps", parent_id: "lighting" },
  { id: "misc-b", name: "Misc", parent_id: "lighting" },
  // Its ID starts with another's: `under` must follow the tree, not the text.
  { id: "plant-annex", name: "Plant annex" },
];

const SITES = [
  { id: "depot-1", name: "North depot" },
  { id: "depot-2", name: "South depot" },
];

type Entry = { id: string; name: string; category?: string; status?: string; site_id?: string; tags?: string[] | string; description?: string };

// Statuses left out take the category's set's first status (a03, a10, a14);
// plant-annex has no set (a11 has none).
const ENTRIES: Entry[] = [
  { id: "a01", name: "Item 01", category: "plant", status: "in-use", site_id: "depot-1", tags: ["red"], description: "Main plant controller" },
  { id: "a02", name: "Item 02", category: "pumps", status: "spare", site_id: "depot-1", tags: ["red", "blue"], description: "Spare pump for line 2" },
  { id: "a03", name: "Item 03", category: "centrifugal", site_id: "depot-2", tags: ["blue"], description: "Centrifugal PUMP, high flow" },
  { id: "a04", name: "Item 04", category: "centrifugal", status: "in-use", tags: ["red", "green"] },
  { id: "a05", name: "Item 05", category: "piston", status: "retired", site_id: "depot-2", tags: [], description: "Piston pump, old" },
  { id: "a06", name: "Item 06", category: "valves", status: "in-use", site_id: "depot-1", tags: ["green"] },
  { id: "a07", name: "Item 07", category: "valves", status: "spare", description: "Gate valve" },
  { id: "a08", name: "Item 08", category: "lighting", status: "lit", site_id: "depot-2", tags: ["yellow"] },
  { id: "a09", name: "Item 09", category: "lamps", status: "dark", site_id: "depot-1", tags: ["yellow", "red"] },
  { id: "a10", name: "Item 10", category: "lamps" },
  { id: "a11", name: "Item 11", category: "plant-annex", site_id: "depot-2", tags: ["blue"] },
  { id: "a12", name: "Item 12" },
  { id: "a13", name: "Item 13", site_id: "depot-1", tags: ["red"], description: "Loose item near the pump room" },
  { id: "a14", name: "Item 14", category: "misc-a", tags: "red, spare-part" },
  { id: "a15", name: "Item 15", category: "misc-b", status: "dark" },
  { id: "a16", name: "Item 16", category: "piston", status: "in-use", site_id: "depot-1", tags: ["red", "blue", "green"], description: "pump" },
  { id: "a17", name: "Item 17", tags: ["green"] },
  { id: "a18", name: "Item 18", category: "plant", status: "spare", tags: ["blue"], description: "Plant spare" },
  { id: "a19", name: "Item 19", category: "pumps", status: "in-use", site_id: "depot-1", tags: ["red"], description: "pump deleted" },
  { id: "a20", name: "Item 20", category: "centrifugal", status: "retired", site_id: "depot-2", description: "" },
];

/** The active assets (a19 is deleted), ID order. */
const ACTIVE = ENTRIES.map((e) => e.id).filter((id) => id !== "a19");
const except = (ids: string[]) => ACTIVE.filter((id) => !ids.includes(id));

const UNDER_PLANT = ["a01", "a02", "a03", "a04", "a05", "a06", "a07", "a14", "a16", "a18", "a20"];
const UNDER_PUMPS = ["a02", "a03", "a04", "a05", "a16", "a20"];
const RED = ["a01", "a02", "a04", "a09", "a13", "a14", "a16"];

/** Query strings and the IDs they list, ID order. */
const FILTER_CASES: Array<[string, string[]]> = [
  // Category: by ID (the category alone, not its subcategories), by a unique name (without case), lists, subtrees.
  ["filter[category]=pumps", ["a02"]],
  ["filter[category]=centrifugal", ["a03", "a04", "a20"]],
  ["filter[category]=Plant%20annex", ["a11"]],
  ["filter[category]=PUMPS", ["a02"]],
  ["filter[category][in]=pumps,valves", ["a02", "a06", "a07"]],
  ["filter[category][in]=pumps,Lamps", ["a02", "a09", "a10"]],
  ["filter[category][in]=valves&filter[category][in]=piston", ["a05", "a06", "a07", "a16"]],
  ["filter[category][under]=plant", UNDER_PLANT],
  ["filter[category][under]=pumps", UNDER_PUMPS],
  ["filter[category][under]=Pumps", UNDER_PUMPS],
  ["filter[category][under]=lighting", ["a08", "a09", "a10", "a15"]],
  ["filter[category][under]=centrifugal", ["a03", "a04", "a20"]],
  ["filter[category][under]=plant-annex", ["a11"]],
  // A list: under any of them, as a comma list or a repeated parameter.
  ["filter[category][under]=centrifugal,plant-annex", ["a03", "a04", "a11", "a20"]],
  ["filter[category][under]=centrifugal&filter[category][under]=lighting", ["a03", "a04", "a08", "a09", "a10", "a15", "a20"]],
  ["filter[category][empty]=true", ["a12", "a13", "a17"]],
  ["filter[category][empty]=false", except(["a12", "a13", "a17"])],
  ["filter[category][ne]=pumps", except(["a02"])],
  // Status (IDs).
  ["filter[status]=in-use", ["a01", "a04", "a06", "a16"]],
  ["filter[status]=new", ["a03", "a14"]],
  ["filter[status]=lit", ["a08", "a10"]],
  ["filter[status][in]=spare,lit", ["a02", "a07", "a08", "a10", "a18"]],
  ["filter[status][empty]=true", ["a11", "a12", "a13", "a17"]],
  // Site.
  ["filter[site_id]=depot-1", ["a01", "a02", "a06", "a09", "a13", "a16"]],
  ["filter[site_id][in]=depot-2", ["a03", "a05", "a08", "a11", "a20"]],
  ["filter[site_id][in]=depot-1,depot-2", ["a01", "a02", "a03", "a05", "a06", "a08", "a09", "a11", "a13", "a16", "a20"]],
  ["filter[site_id][empty]=true", ["a04", "a07", "a10", "a12", "a14", "a15", "a17", "a18"]],
  // Tags.
  ["filter[tags]=red", RED],
  ["filter[tags]=spare-part", ["a14"]],
  ["filter[tags]=Red", []],
  ["filter[tags][in]=blue,green", ["a02", "a03", "a04", "a06", "a11", "a16", "a17", "a18"]],
  ["filter[tags][all]=red,blue", ["a02", "a16"]],
  ["filter[tags][all]=red,green", ["a04", "a16"]],
  ["filter[tags][all]=red,blue,green", ["a16"]],
  ["filter[tags][ne]=red", except(RED)],
  ["filter[tags][empty]=true", ["a05", "a07", "a10", "a12", "a15", "a20"]],
  ["filter[tags][empty]=false", except(["a05", "a07", "a10", "a12", "a15", "a20"])],
  // Description and search.
  ["filter[description][contains]=pump", ["a02", "a03", "a05", "a13", "a16"]],
  ["filter[description][contains]=PLANT", ["a01", "a18"]],
  ["filter[description][empty]=true", except(["a01", "a02", "a03", "a05", "a07", "a13", "a16", "a18"])],
  ["search=pump", ["a02", "a03", "a05", "a13", "a16"]],
  ["search=HIGH%20FLOW", ["a03"]],
  ["search=gate", ["a07"]],
  ["search=item%2001", ["a01"]],
  // Combined: ANDed with each other, with search and with include_inactive.
  ["filter[category][under]=plant&filter[tags]=red&filter[site_id]=depot-1", ["a01", "a02", "a16"]],
  ["filter[status][in]=in-use,spare&search=pump", ["a02", "a16"]],
  ["filter[category][under]=pumps&filter[tags][ne]=red", ["a03", "a05", "a20"]],
  ["filter[category][under]=plant&filter[status][in]=spare,retired&filter[site_id][empty]=true", ["a07", "a18"]],
  ["filter[category][under]=lighting&filter[tags][empty]=true", ["a10", "a15"]],
  ["filter[category][under]=pumps&include_inactive=true", ["a02", "a03", "a04", "a05", "a16", "a19", "a20"]],
  ["filter[category][under]=pumps&filter[is_active]=false", ["a19"]],
  ["filter[tags]=red&filter[description][contains]=pump&include_inactive=true", ["a02", "a13", "a16", "a19"]],
];

async function listAll(api: Client, query: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor = "";
  for (let pages = 0; pages < 50; pages++) {
    const url = `/api/v4/assets?limit=${limit}&idonly=true&${query}&cursor=${encodeURIComponent(cursor)}`;
    const res = await api.get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    const body = res.json();
    expect(body.count).toBe(body.collection.length);
    ids.push(...body.collection.map((a: { id: string }) => a.id));
    if (body.next_cursor === null) return ids;
    cursor = body.next_cursor;
  }
  throw new Error("too many pages");
}

async function listIds(api: Client, query: string): Promise<string[]> {
  const res = await api.get(`/api/v4/assets?limit=1000&idonly=true&${query}`);
  expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
  return res.json().collection.map((a: { id: string }) => a.id);
}

async function exportIds(api: Client, query: string, format: "json" | "csv"): Promise<string[]> {
  const res = await api.get(`/api/v4/assets-export?format=${format}&${query}`);
  expect(res.statusCode, `${format} ${query}: ${res.body}`).toBe(200);
  if (format === "json") return res.json().map((e: { id: string }) => e.id);
  // No ID here holds a comma or a quote: the first cell of each row is the ID.
  const rows = res.body.split("\r\n").filter((line) => line !== "");
  expect(rows[0]).toBe("id,name,description,tags,category,status,site_id");
  return rows.slice(1).map((row) => row.split(",")[0]!);
}

type FeedChange = { cursor: string; asset_id: string; action: string; changes: Array<{ field: string; old: unknown; new: unknown }> };

/** Every change of the filtered feed after `since`, read `limit` at a time, as `<asset>:<action>`. */
async function feed(api: Client, query: string, since = "0", limit = 1000): Promise<string[]> {
  const seen: string[] = [];
  let cursor = since;
  for (let pages = 0; pages < 50; pages++) {
    const res = await api.get(`/api/v4/asset-changes?since=${cursor}&limit=${limit}&${query}`);
    expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
    const body = res.json();
    seen.push(...body.collection.map((c: FeedChange) => `${c.asset_id}:${c.action}`));
    cursor = body.next_cursor;
    if (!body.has_more) return seen;
  }
  throw new Error("too many pages");
}

const created = (ids: string[]) => ids.map((id) => `${id}:created`);

describe("asset model attributes in queries, export and the change feed", () => {
  let t: TestApp;
  /** The feed position after the setup (import and delete). */
  let setupCursor: string;

  beforeAll(async () => {
    t = await startTestApp();
    const post = async (url: string, body: object) => {
      const res = await t.api.post(url, body);
      if (res.statusCode !== 201) throw new Error(`${url} ${JSON.stringify(body)}: ${res.statusCode} ${res.body}`);
    };
    await post("/api/v4/status-sets", { id: "lifecycle", name: "Lifecycle", statuses: lifecycle });
    await post("/api/v4/status-sets", { id: "lamp-states", name: "Lamp states", statuses: lampStates });
    for (const category of CATEGORIES) await post("/api/v4/categories", category);
    for (const site of SITES) await post("/api/v4/sites", site);
    const report = await runImport(t.api, ENTRIES);
    expect(report.status).toBe("COMPLETED");
    expect(report.stats).toMatchObject({ failed_count: 0, warning_count: 0 });
    expect((await t.api.delete("/api/v4/assets/a19")).statusCode).toBe(204);
    setupCursor = (await t.api.get("/api/v4/asset-changes?limit=1000")).json().next_cursor;
  });
  afterAll(() => t.close());

  it("stores the attributes as imported: default statuses, comma-separated tags, cleared description", async () => {
    const res = await t.api.get("/api/v4/assets?ids=a03,a05,a10,a11,a14,a20&fields=category,status,tags,description");
    expect(res.json().collection).toEqual([
      { id: "a03", category: "centrifugal", status: "new", tags: ["blue"], description: "Centrifugal PUMP, high flow" },
      { id: "a05", category: "piston", status: "retired", tags: [], description: "Piston pump, old" },
      { id: "a10", category: "lamps", status: "lit", tags: [], description: null },
      { id: "a11", category: "plant-annex", status: null, tags: ["blue"], description: null },
      { id: "a14", category: "misc-a", status: "new", tags: ["red", "spare-part"], description: null },
      { id: "a20", category: "centrifugal", status: "retired", tags: [], description: null },
    ]);
  });

  describe("list", () => {
    it.each(FILTER_CASES)("filters: %s", async (query, expected) => {
      expect(await listIds(t.api, query)).toEqual(expected);
      const page = (await t.api.get(`/api/v4/assets?${query}&limit=2&idonly=true`)).json();
      expect(page.total_count).toBe(expected.length);
    });

    it.each([
      ["filter[category]=nope", "filter[category]: no category with the ID or name 'nope'"],
      ["filter[category][in]=pumps,nope", "filter[category][in]: no category with the ID or name 'nope'"],
      ["filter[category][under]=nowhere", "filter[category][under]: no category with the ID or name 'nowhere'"],
      ["filter[name][under]=plant", "filter[name][under]: operator 'under' does not apply to 'name' (SingleLineText)"],
      ["filter[site_id][under]=depot-1", "filter[site_id][under]: operator 'under' does not apply to 'site_id' (SingleLineText)"],
      ["filter[tags][under]=red", "filter[tags][under]: operator 'under' does not apply to 'tags' (MultiSelect)"],
      ["filter[status][all]=new,spare", "filter[status][all]: operator 'all' does not apply to 'status' (SingleLineText)"],
      ["filter[tags][contains]=re", "filter[tags][contains]: operator 'contains' does not apply to 'tags' (MultiSelect)"],
      ["filter[site_name]=North%20depot", "filter[site_name]: 'site_name' cannot be filtered or sorted"],
      ["order=tags", "order: MultiSelect field 'tags' cannot be sorted"],
      ["order=site_name", "order: 'site_name' cannot be filtered or sorted"],
    ])("refuses %s with a 400 that names it", async (query, message) => {
      const res = await t.api.get(`/api/v4/assets?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: 400, error: message });
    });

    it("refuses a category name that several categories share, naming them", async () => {
      const res = await t.api.get("/api/v4/assets?filter[category]=misc");
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 400, error: expect.stringMatching(/^filter\[category\]: 2 categories are named 'misc' \(misc-a, misc-b\): give the ID$/) });
      // Their IDs tell them apart.
      expect(await listIds(t.api, "filter[category]=misc-a")).toEqual(["a14"]);
      expect(await listIds(t.api, "filter[category][in]=misc-a,misc-b")).toEqual(["a14", "a15"]);
    });

    it("sorts by category, status and site, assets without one first ascending and last descending", async () => {
      const byCategory = ["a12", "a13", "a17", "a03", "a04", "a20", "a09", "a10", "a08", "a14", "a15", "a05", "a16", "a01", "a18", "a11", "a02", "a06", "a07"];
      expect(await listIds(t.api, "order=category")).toEqual(byCategory);
      expect(await listIds(t.api, "order=category&orderdesc=true")).toEqual([...byCategory].reverse());
      const byStatus = ["a11", "a12", "a13", "a17", "a09", "a15", "a01", "a04", "a06", "a16", "a08", "a10", "a03", "a14", "a05", "a20", "a02", "a07", "a18"];
      expect(await listIds(t.api, "order=status")).toEqual(byStatus);
      expect(await listIds(t.api, "order=status&orderdesc=true")).toEqual([...byStatus].reverse());
      expect(await listIds(t.api, "order=site_id")).toEqual(["a04", "a07", "a10", "a12", "a14", "a15", "a17", "a18", "a01", "a02", "a06", "a09", "a13", "a16", "a03", "a05", "a08", "a11", "a20"]);
      // Then the status within each category, descending.
      expect(await listIds(t.api, "filter[category][under]=plant&order=category&order2=status&orderdesc2=true")).toEqual([
        "a20", "a03", "a04", "a14", "a05", "a16", "a18", "a01", "a02", "a07", "a06",
      ]);
    });

    it("sorts by description in byte order, as other text", async () => {
      // "pump" (lowercase) after "Spare pump": a linguistic collation (a PostgreSQL
      // database created with an ICU or en_US locale) would put it before.
      const byDescription = ["a03", "a07", "a13", "a01", "a05", "a18", "a02", "a16"];
      const withoutDescription = ["a04", "a06", "a08", "a09", "a10", "a11", "a12", "a14", "a15", "a17", "a20"];
      expect(await listIds(t.api, "order=description")).toEqual([...withoutDescription, ...byDescription]);
      expect(await listAll(t.api, "filter[description][empty]=false&order=description&orderdesc=true", 3)).toEqual([...byDescription].reverse());
      expect(await exportIds(t.api, "filter[description][empty]=false&order=description", "json")).toEqual(byDescription);
    });

    it("pages by cursor through a category filter, in every order, as one request lists them", async () => {
      const cases: Array<[string, string[]]> = [
        ["filter[category][under]=plant", UNDER_PLANT],
        ["filter[category][under]=plant&order=status", ["a01", "a04", "a06", "a16", "a03", "a14", "a05", "a20", "a02", "a07", "a18"]],
        ["filter[category][under]=plant&order=status&orderdesc=true", ["a18", "a07", "a02", "a20", "a05", "a14", "a03", "a16", "a06", "a04", "a01"]],
        ["filter[category][in]=lamps,lighting,plant-annex&order=site_id", ["a10", "a09", "a08", "a11"]],
        ["filter[category][empty]=false&filter[tags][empty]=false&order=category&orderdesc=true", ["a06", "a02", "a11", "a18", "a01", "a16", "a14", "a08", "a09", "a04", "a03"]],
        // Across the assets without a category, both ways.
        ["filter[site_id][empty]=true&order=category", ["a12", "a17", "a04", "a10", "a14", "a15", "a18", "a07"]],
        ["filter[site_id][empty]=true&order=category&orderdesc=true", ["a07", "a18", "a15", "a14", "a10", "a04", "a17", "a12"]],
      ];
      for (const [query, expected] of cases) {
        expect(await listIds(t.api, query), query).toEqual(expected);
        for (const limit of [1, 3]) expect(await listAll(t.api, query, limit), `${query} limit ${limit}`).toEqual(expected);
      }
      const page = (await t.api.get("/api/v4/assets?filter[category][under]=plant&limit=5&page=3&idonly=true")).json();
      expect(page).toMatchObject({ page: 3, total_count: 11, total_pages: 3, collection: [{ id: "a20" }] });
    });

    it("projects the attributes and the site's name", async () => {
      const res = await t.api.get("/api/v4/assets?ids=a09,a12,a13&fields=category,status,tags,site_name");
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().collection).toEqual([
        { id: "a09", category: "lamps", status: "dark", tags: ["yellow", "red"], site_name: "North depot" },
        { id: "a12", category: null, status: null, tags: [], site_name: null },
        { id: "a13", category: null, status: null, tags: ["red"], site_name: "North depot" },
      ]);
      const full = (await t.api.get("/api/v4/assets?ids=a03")).json().collection[0];
      expect(full).toMatchObject({ description: "Centrifugal PUMP, high flow", tags: ["blue"], category: "centrifugal", status: "new", site_id: "depot-2", site_name: "South depot" });
    });
  });

  describe("export", () => {
    const exportCases: string[] = [
      "filter[category]=centrifugal",
      "filter[category][in]=pumps,Lamps",
      "filter[category][under]=plant",
      "filter[category][under]=centrifugal",
      "filter[category][empty]=true",
      "filter[status][in]=spare,lit",
      "filter[site_id]=depot-1",
      "filter[tags]=red",
      "filter[tags][in]=blue,green",
      "filter[tags][all]=red,blue",
      "filter[tags][ne]=red",
      "filter[tags][empty]=true",
      "filter[description][contains]=pump",
      "search=pump",
      "filter[category][under]=plant&filter[tags]=red&filter[site_id]=depot-1",
      "filter[category][under]=pumps&include_inactive=true",
      "order=category&orderdesc=true",
      "filter[category][under]=plant&order=status",
    ];

    it.each(exportCases)("exports what the list lists: %s", async (query) => {
      const listed = await listIds(t.api, query);
      expect(listed.length, "the case selects something").toBeGreaterThan(0);
      const known = FILTER_CASES.find(([q]) => q === query);
      if (known) expect(listed).toEqual(known[1]);
      expect(await exportIds(t.api, query, "json")).toEqual(listed);
      expect(await exportIds(t.api, query, "csv")).toEqual(listed);
    });

    it("writes the attributes of the filtered assets", async () => {
      const json = await t.api.get("/api/v4/assets-export?format=json&filter[category]=lamps");
      expect(json.json()).toEqual([
        { id: "a09", name: "Item 09", tags: ["yellow", "red"], category: "lamps", status: "dark", site_id: "depot-1" },
        { id: "a10", name: "Item 10", category: "lamps", status: "lit" },
      ]);
      const csv = await t.api.get("/api/v4/assets-export?format=csv&filter[category]=lamps");
      expect(csv.body).toBe('id,name,description,tags,category,status,site_id\r\na09,Item 09,,"yellow,red",lamps,dark,depot-1\r\na10,Item 10,,,lamps,lit,\r\n');
    });

    it("refuses an unknown category and `under` on another field", async () => {
      expect((await t.api.get("/api/v4/assets-export?format=csv&filter[category][under]=nope")).json()).toEqual({
        code: 400,
        error: "filter[category][under]: no category with the ID or name 'nope'",
      });
      expect((await t.api.get("/api/v4/assets-export?format=json&filter[status][under]=new")).json()).toEqual({
        code: 400,
        error: "filter[status][under]: operator 'under' does not apply to 'status' (SingleLineText)",
      });
    });
  });

  describe("change feed", () => {
    // Runs last: it changes assets.
    it("filters on the asset as each change left it", async () => {
      expect(await feed(t.api, "filter[category][under]=pumps")).toEqual([...created(["a02", "a03", "a04", "a05", "a16", "a19", "a20"]), "a19:deleted"]);
      expect(await feed(t.api, "filter[category][under]=pumps", "0", 2)).toEqual([...created(["a02", "a03", "a04", "a05", "a16", "a19", "a20"]), "a19:deleted"]);
      expect(await feed(t.api, "filter[category][under]=lighting")).toEqual(created(["a08", "a09", "a10", "a15"]));
      expect(await feed(t.api, "filter[category]=Centrifugal")).toEqual(created(["a03", "a04", "a20"]));
      expect(await feed(t.api, "filter[category][empty]=true")).toEqual(created(["a12", "a13", "a17"]));
      expect(await feed(t.api, "filter[tags]=red")).toEqual([...created(["a01", "a02", "a04", "a09", "a13", "a14", "a16", "a19"]), "a19:deleted"]);
      expect(await feed(t.api, "filter[tags][all]=red,blue")).toEqual(created(["a02", "a16"]));
      expect(await feed(t.api, "filter[tags][empty]=true")).toEqual(created(["a05", "a07", "a10", "a12", "a15", "a20"]));
      expect(await feed(t.api, "filter[status]=spare")).toEqual(created(["a02", "a07", "a18"]));
      expect(await feed(t.api, "filter[status][in]=in-use,lit&filter[site_id]=depot-1")).toEqual([...created(["a01", "a06", "a16", "a19"]), "a19:deleted"]);
      expect(await feed(t.api, "filter[description][contains]=pump&filter[is_active]=false")).toEqual(["a19:deleted"]);
    });

    it("follows an asset into its new category, and no longer lists it under the old one", async () => {
      const res = await t.api.patch("/api/v4/assets/a06", { category: "centrifugal" });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ category: "centrifugal", status: "in-use" });
      expect(await feed(t.api, "filter[category][under]=pumps", setupCursor)).toEqual(["a06:updated"]);
      expect(await feed(t.api, "filter[category]=centrifugal", setupCursor)).toEqual(["a06:updated"]);
      expect(await feed(t.api, "filter[category][under]=plant", setupCursor)).toEqual(["a06:updated"]);
      expect(await feed(t.api, "filter[category]=valves", setupCursor)).toEqual([]);
      expect(await feed(t.api, "filter[category][under]=lighting", setupCursor)).toEqual([]);
      // Its creation stays where it was then.
      expect(await feed(t.api, "filter[category]=valves")).toEqual(created(["a06", "a07"]));
      expect(await feed(t.api, "filter[category][under]=pumps")).toEqual([...created(["a02", "a03", "a04", "a05", "a16", "a19", "a20"]), "a19:deleted", "a06:updated"]);
      const change = (await t.api.get(`/api/v4/asset-changes?since=${setupCursor}&filter[category]=centrifugal`)).json().collection[0] as FeedChange;
      expect(change.changes).toEqual([{ field: "category", old: "valves", new: "centrifugal" }]);
      // The list agrees.
      expect(await listIds(t.api, "filter[category]=valves")).toEqual(["a07"]);
      expect(await listIds(t.api, "filter[category][under]=pumps")).toEqual(["a02", "a03", "a04", "a05", "a06", "a16", "a20"]);
    });

    it("follows tags and statuses as they change", async () => {
      const cursor = (await t.api.get("/api/v4/asset-changes?limit=1000")).json().next_cursor;
      expect((await t.api.patch("/api/v4/assets/a17", { tags: ["red", "blue"] })).statusCode).toBe(200);
      expect((await t.api.patch("/api/v4/assets/a13", { tags: [] })).statusCode).toBe(200);
      expect((await t.api.patch("/api/v4/assets/a07", { status: "retired" })).statusCode).toBe(200);
      expect(await feed(t.api, "filter[tags]=red", cursor)).toEqual(["a17:updated"]);
      expect(await feed(t.api, "filter[tags][ne]=red", cursor)).toEqual(["a13:updated", "a07:updated"]);
      expect(await feed(t.api, "filter[tags][empty]=true", cursor)).toEqual(["a13:updated", "a07:updated"]);
      expect(await feed(t.api, "filter[status]=retired", cursor)).toEqual(["a07:updated"]);
      expect(await feed(t.api, "filter[status]=spare", cursor)).toEqual([]);
      expect(await feed(t.api, "filter[status][empty]=true", cursor)).toEqual(["a17:updated", "a13:updated"]);
      // The list sees the same state.
      expect(await listIds(t.api, "filter[tags]=red")).toEqual(["a01", "a02", "a04", "a09", "a14", "a16", "a17"]);
      expect(await listIds(t.api, "filter[tags][empty]=true")).toEqual(["a05", "a07", "a10", "a12", "a13", "a15", "a20"]);
    });

    it("reads the category tree and names as they are now", async () => {
      // plant-annex (no status set; a11 has no status) moves under plant: `under` follows the tree.
      const moved = await t.api.patch("/api/v4/categories/plant-annex", { parent_id: "plant" });
      expect(moved.statusCode, moved.body).toBe(200);
      const underPlant = ["a01", "a02", "a03", "a04", "a05", "a06", "a07", "a11", "a14", "a16", "a18", "a20"];
      expect(await listIds(t.api, "filter[category][under]=plant")).toEqual(underPlant);
      expect(await exportIds(t.api, "filter[category][under]=plant", "json")).toEqual(underPlant);
      expect(await feed(t.api, "filter[category][under]=plant&filter[tags]=blue")).toEqual(created(["a02", "a03", "a11", "a16", "a18"]));
      // A renamed category is found by its new name only.
      expect((await t.api.patch("/api/v4/categories/pumps", { name: "Pump units" })).statusCode).toBe(200);
      expect((await t.api.get("/api/v4/assets?filter[category][under]=Pumps")).json()).toEqual({ code: 400, error: "filter[category][under]: no category with the ID or name 'Pumps'" });
      expect(await listIds(t.api, "filter[category]=pump%20UNITS")).toEqual(["a02"]);
      expect((await t.api.patch("/api/v4/categories/plant-annex", { parent_id: null })).statusCode).toBe(200);
      expect((await t.api.patch("/api/v4/categories/pumps", { name: "Pumps" })).statusCode).toBe(200);
      expect(await listIds(t.api, "filter[category][under]=plant")).toEqual(underPlant.filter((id) => id !== "a11"));
      expect(await listIds(t.api, "filter[category][under]=Pumps")).toEqual(["a02", "a03", "a04", "a05", "a06", "a16", "a20"]);
    });

    it.each([
      ["filter[created_at][gt]=2020-01-01", "created_at"],
      ["filter[updated_by]=admin", "updated_by"],
      ["filter[uid][empty]=false", "uid"],
    ])("refuses %s, a column the feed does not keep", async (query, column) => {
      const res = await t.api.get(`/api/v4/asset-changes?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: 400, error: expect.stringContaining(column) });
      expect(res.json().error).toMatch(/^filter\[/);
    });

    it("refuses an unknown category and `under` on another field", async () => {
      expect((await t.api.get("/api/v4/asset-changes?filter[category][under]=nope")).json()).toEqual({
        code: 400,
        error: "filter[category][under]: no category with the ID or name 'nope'",
      });
      expect((await t.api.get("/api/v4/asset-changes?filter[tags][under]=red")).json()).toEqual({
        code: 400,
        error: "filter[tags][under]: operator 'under' does not apply to 'tags' (MultiSelect)",
      });
    });
  });
});
