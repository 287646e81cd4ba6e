import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, runImport, startTestApp, type Client, type TestApp } from "../helpers/app.js";

// The list's filters, search, sorts and both paging modes, checked against a
// reference model in JavaScript over assets with gaps (fields without values),
// ties, mixed case and non-ASCII text. Half the fields are indexed, so the
// same answers come from index scans and from table scans.

type Asset = Record<string, unknown> & { id: string; name: string };

const FIELDS = [
  { name: "price", type: "Decimal", indexed: true },
  { name: "qty", type: "Integer" },
  { name: "label", type: "SingleLineText", indexed: true },
  { name: "bought", type: "Date" },
  { name: "seen at", type: "DateTime", indexed: true },
  { name: "ok", type: "Checkbox" },
  { name: "state", type: "Select", options: ["active", "spare", "broken"], indexed: true },
  { name: "extras", type: "MultiSelect", options: ["wifi", "gps", "lte"] },
] as const;

const LABELS = ["Alpha", "alpha", "Beta", "Zürich", "ZÜRICH office", "münchen", "b", ""];

function makeAssets(): Asset[] {
  const assets: Asset[] = [];
  for (let i = 0; i < 90; i++) {
    const a: Asset = { id: `as-${String((i * 37) % 90).padStart(3, "0")}`, name: i % 7 === 0 ? "Same name" : `Asset ${i}` };
    if (i % 5 !== 0) a.price = (i % 9) * 1.25;
    if (i % 4 !== 1) a.qty = (i % 6) - 2;
    if (i % 3 !== 2) a.label = LABELS[i % LABELS.length];
    if (i % 6 !== 3) a.bought = `2024-0${(i % 9) + 1}-1${i % 10}`;
    if (i % 8 !== 4) a["seen at"] = new Date(Date.UTC(2025, 0, 1 + (i % 11), i % 24)).toISOString();
    if (i % 2 === 0) a.ok = i % 4 === 0;
    if (i % 10 !== 7) a.state = ["active", "spare", "broken"][i % 3];
    if (i % 3 === 0) a.extras = [["wifi"], ["gps", "lte"], [], ["wifi", "lte"]][i % 4];
    assets.push(a);
  }
  return assets;
}

/** Byte order of UTF-8 text, numbers by value, false before true; no value first. */
function compare(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (typeof a === "string") return Buffer.compare(Buffer.from(a), Buffer.from(b as string));
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function sortModel(assets: Asset[], keys: Array<[string, boolean]>): string[] {
  const last = keys.at(-1)?.[1] ?? false;
  const all: Array<[string, boolean]> = [...keys, ["id", last]];
  return [...assets]
    .sort((x, y) => {
      for (const [k, desc] of all) {
        const c = compare(x[k] === undefined ? undefined : x[k], y[k] === undefined ? undefined : y[k]);
        if (c !== 0) return desc ? -c : c;
      }
      return 0;
    })
    .map((a) => a.id);
}

async function listAll(api: Client, query: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 200; pages++) {
    const url: string = `/api/v4/assets?limit=${limit}&idonly=true${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await api.get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    const body = res.json();
    ids.push(...body.collection.map((a: { id: string }) => a.id));
    cursor = body.next_cursor;
    if (!cursor) return ids;
  }
  throw new Error("too many pages");
}

describe("asset queries", () => {
  let t: TestApp;
  const assets = makeAssets();
  beforeAll(async () => {
    t = await startTestApp();
    for (const f of FIELDS) await createField(t.api, { ...f });
    const report = await runImport(t.api, assets);
    expect(report.stats.failed_count).toBe(0);
  });
  afterAll(() => t.close());

  it("sorts by up to five keys, either direction, with assets lacking a value first ascending", async () => {
    // "id" as an explicit key keeps its own direction, which may differ from the keys before it.
    const sortable = ["price", "qty", "label", "bought", "seen at", "ok", "state", "name", "created_at", "version", "is_active", "id"];
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...sortable), { minLength: 1, maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 1, max: 40 }),
        async (names, descs, limit) => {
          // Keys after the ID never decide anything; the service drops them.
          const keys = names.slice(0, names.indexOf("id") + 1 || names.length).map((n, i): [string, boolean] => [n, descs[i]!]);
          const query = names.map((n, i): [string, boolean] => [n, descs[i]!]).map(([n, d], i) => `&order${i ? i + 1 : ""}=${encodeURIComponent(n)}&orderdesc${i ? i + 1 : ""}=${d}`).join("");
          // created_at and version are equal for every asset here: the ID decides.
          const model = sortModel(
            assets.map((a) => ({ ...a, created_at: 0, version: 1, is_active: 1 })),
            keys,
          );
          expect(await listAll(t.api, query, limit)).toEqual(model);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("gives the same pages by page number as by cursor", async () => {
    const query = "&order=state&order2=price&orderdesc2=true";
    const byCursor = await listAll(t.api, query, 7);
    const byPage: string[] = [];
    for (let page = 1; page <= 13; page++) {
      const body = (await t.api.get(`/api/v4/assets?limit=7&page=${page}&idonly=true${query}`)).json();
      expect(body).toMatchObject({ page, total_count: 90, total_pages: 13 });
      byPage.push(...body.collection.map((a: { id: string }) => a.id));
      expect(body.next_cursor === null).toBe(page === 13);
    }
    expect(byPage).toEqual(byCursor);
  });

  const filterCases: Array<[string, (a: Asset) => boolean]> = [
    ["filter[price][gte]=5", (a) => a.price !== undefined && (a.price as number) >= 5],
    ["filter[price][lt]=2.5&filter[price][gt]=0", (a) => a.price !== undefined && (a.price as number) < 2.5 && (a.price as number) > 0],
    ["filter[price]=3.75", (a) => a.price === 3.75],
    ["filter[price][ne]=3.75", (a) => a.price !== 3.75],
    ["filter[price][empty]=true", (a) => a.price === undefined],
    ["filter[qty][in]=-2,3", (a) => a.qty === -2 || a.qty === 3],
    ["filter[qty][lte]=-1", (a) => a.qty !== undefined && (a.qty as number) <= -1],
    ["filter[label]=alpha", (a) => a.label === "alpha"],
    ["filter[label][contains]=zür", (a) => typeof a.label === "string" && a.label.toLowerCase().includes("zür")],
    ["filter[label][empty]=false", (a) => a.label !== undefined],
    ["filter[bought][gte]=2024-05-01&filter[bought][lt]=2024-07-01", (a) => a.bought !== undefined && (a.bought as string) >= "2024-05-01" && (a.bought as string) < "2024-07-01"],
    ["filter[seen%20at][gt]=2025-01-05T10:00:00%2B02:00", (a) => a["seen at"] !== undefined && (a["seen at"] as string) > "2025-01-05T08:00:00.000Z"],
    ["filter[ok]=true", (a) => a.ok === true],
    ["filter[ok][ne]=true", (a) => a.ok !== true],
    ["filter[state]=ACTIVE", (a) => a.state === "active"],
    ["filter[state][in]=spare,broken", (a) => a.state === "spare" || a.state === "broken"],
    ["filter[extras]=lte", (a) => Array.isArray(a.extras) && a.extras.includes("lte")],
    ["filter[extras][in]=gps,wifi", (a) => Array.isArray(a.extras) && (a.extras.includes("gps") || a.extras.includes("wifi"))],
    ["filter[extras][all]=wifi,lte", (a) => Array.isArray(a.extras) && a.extras.includes("wifi") && a.extras.includes("lte")],
    ["filter[extras][ne]=wifi", (a) => !(Array.isArray(a.extras) && a.extras.includes("wifi"))],
    ["filter[extras][empty]=true", (a) => a.extras === undefined],
    ["filter[name]=Same%20name", (a) => a.name === "Same name"],
    ["filter[id][in]=as-001,as-002,nope", (a) => a.id === "as-001" || a.id === "as-002"],
    ["ids=as-010,as-011", (a) => a.id === "as-010" || a.id === "as-011"],
    ["search=M%C3%9CNCHEN", (a) => a.label === "münchen"],
    ["search=asset%201", (a) => a.name.toLowerCase().includes("asset 1")],
    ["search=AS-08", (a) => a.id.startsWith("as-08")],
    ["filter[state]=active&filter[price][gte]=2&search=a", (a) => a.state === "active" && a.price !== undefined && (a.price as number) >= 2 && JSON.stringify([a.id, a.name, a.label ?? "", a.state]).toLowerCase().includes("a")],
  ];

  it.each(filterCases)("filters: %s", async (query, predicate) => {
    const expected = sortModel(assets.filter(predicate), []);
    expect(expected.length, "the case selects something").toBeGreaterThan(0);
    expect(await listAll(t.api, `&${query}`, 1000)).toEqual(expected);
    const page = (await t.api.get(`/api/v4/assets?${query}&limit=3`)).json();
    expect(page.total_count).toBe(expected.length);
  });

  it("projects fields and returns only IDs on request", async () => {
    const body = (await t.api.get("/api/v4/assets?ids=as-010&fields=name,price,seen%20at,nope_not_here".replace(",nope_not_here", ""))).json();
    const a = assets.find((x) => x.id === "as-010")!;
    expect(body.collection).toEqual([{ id: "as-010", name: a.name, ...(a.price !== undefined ? { price: a.price } : {}), ...(a["seen at"] ? { "seen at": a["seen at"] } : {}) }]);
    expect((await t.api.get("/api/v4/assets?limit=2&idonly=true")).json().collection).toEqual([{ id: "as-000" }, { id: "as-001" }]);
  });

  it.each([
    ["filter[nope]=1", "filter[nope]: no field named 'nope'"],
    ["filter[price][between]=1", "filter[price][between]: unknown operator 'between'; use one of eq, ne, in, all, gt, gte, lt, lte, contains, empty, under"],
    ["filter[label][gt]=a", "filter[label][gt]: operator 'gt' does not apply to 'label' (SingleLineText)"],
    ["filter[price][gte]=cheap", "filter[price][gte]: 'cheap' is not a valid value for 'price' (Decimal)"],
    ["filter[state]=retired", "filter[state]: 'retired' is not a valid value for 'state' (Select)"],
    ["filter[created_at][gte]=yesterday", "filter[created_at][gte]: 'yesterday' is not an RFC 3339 time or a date"],
    ["filter[price]=1&filter[price]=2", "filter[price] is given more than once"],
    ["order=nope", "order: no field named 'nope'"],
    ["order=extras", "order: MultiSelect field 'extras' cannot be sorted"],
    ["order2=price", "order2 needs order"],
    ["orderdesc=true", "orderdesc needs order"],
    ["fields=name,nope", "fields: no field named 'nope'"],
    ["sort=price", expect.stringMatching(/^unknown query parameter 'sort'; this operation takes: page, limit, search, ids, include_inactive, order, orderdesc, /)],
    ["cursor=garbage", "cursor is not valid: pass next_cursor from a list answer as it is"],
  ])("refuses %s with a 400 that names it", async (query, message) => {
    const res = await t.api.get(`/api/v4/assets?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 400, error: message });
  });

  it("refuses a cursor whose values were tampered with, as a 400", async () => {
    const decode = (c: string) => JSON.parse(Buffer.from(c, "base64url").toString()) as [string, unknown[]];
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    for (const [order, bad] of [
      ["price", [true, "as-001"]],
      ["price", ["abc", "as-001"]],
      ["ok", ["abc", "as-001"]],
      ["ok", [1.5, "as-001"]],
      ["created_at", ["yesterday", "as-001"]],
      ["label", [12, "as-001"]],
      ["label", ["x", null]],
    ] as const) {
      const first = (await t.api.get(`/api/v4/assets?limit=2&order=${order}&cursor=`)).json();
      const [signature] = decode(first.next_cursor);
      const res = await t.api.get(`/api/v4/assets?limit=2&order=${order}&cursor=${encode([signature, bad])}`);
      expect(res.json(), `${order} ${JSON.stringify(bad)}`).toEqual({ code: 400, error: "cursor is not valid: pass next_cursor from a list answer as it is" });
    }
  });

  it("lists deleted assets when a filter asks about is_active or deleted_at", async () => {
    expect((await t.api.delete("/api/v4/assets/as-089")).statusCode).toBe(204);
    const ids = async (q: string) => (await t.api.get(`/api/v4/assets?idonly=true&${q}`)).json().collection.map((a: { id: string }) => a.id);
    expect(await ids("filter[is_active]=false")).toEqual(["as-089"]);
    expect(await ids("filter[deleted_at][empty]=false")).toEqual(["as-089"]);
    expect(await ids("ids=as-089")).toEqual([]);
    expect((await t.api.post("/api/v4/assets/as-089/restore")).statusCode).toBe(200);
  });

  it("documents the filter parameter in OpenAPI for the list and the export", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
    for (const path of ["/api/v4/assets", "/api/v4/assets-export"]) {
      expect(doc.paths[path].get.parameters, path).toContainEqual(expect.objectContaining({ name: "filter", in: "query", style: "deepObject" }));
    }
  });

  it("refuses a cursor made for another order", async () => {
    const first = (await t.api.get("/api/v4/assets?limit=5&order=price")).json();
    const res = await t.api.get(`/api/v4/assets?limit=5&order=qty&cursor=${first.next_cursor}`);
    expect(res.json()).toEqual({ code: 400, error: "cursor belongs to another sort order: keep the order parameters of the request that returned it" });
  });

  it("keeps indexed and unindexed answers equal when an index is added or dropped", async () => {
    const query = "&filter[qty][gte]=0&order=qty&orderdesc=true&order2=bought";
    const before = await listAll(t.api, query, 9);
    expect((await t.api.patch("/api/v4/asset-fields/qty", { indexed: true })).json()).toMatchObject({ name: "qty", indexed: true });
    expect(await listAll(t.api, query, 9)).toEqual(before);
    expect((await t.api.patch("/api/v4/asset-fields/qty", { indexed: false })).json()).toMatchObject({ indexed: false });
    expect(await listAll(t.api, query, 9)).toEqual(before);
  });
});
