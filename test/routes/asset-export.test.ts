import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FieldDefinition } from "../../src/fields/field-types.js";
import { fieldDefinitions, storedEntries } from "../export/stored-entries.js";
import { createField, login, runFileImport, runImport, startTestApp, type Client, type TestApp } from "../helpers/app.js";
import { createTenantAdmin } from "../helpers/tenants.js";

// The export over HTTP: import-ready files that, imported into an empty
// tenant with the same fields, reproduce the assets; filters and order as
// the list's; chunked streaming; formula protection.

const PASSWORD = "export-password-1";
const MEDIA = { json: "application/json", ndjson: "application/x-ndjson", csv: "text/csv" } as const;

describe("asset export", () => {
  let t: TestApp;
  let tenants = 0;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function freshTenant(fields: readonly FieldDefinition[]): Promise<Client> {
    tenants++;
    await createTenantAdmin(t.services.config.DATABASE_URL, `export-${tenants}`, `export-admin-${tenants}`, PASSWORD);
    const api = await login(t.app, `export-admin-${tenants}`, PASSWORD);
    for (const field of fields) await createField(api, { ...field });
    return api;
  }

  /** A tenant's assets as JSON export entries, ID order. */
  async function exported(api: Client): Promise<Array<Record<string, unknown>>> {
    const res = await api.get("/api/v4/assets-export?format=json");
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  it.each(["json", "ndjson", "csv"] as const)("round-trips random fields and values through a %s export into an empty tenant", async (format) => {
    await fc.assert(
      fc.asyncProperty(
        fieldDefinitions(5).chain((fields) => fc.tuple(fc.constant(fields), storedEntries(fields, 12))),
        async ([fields, entries]) => {
          const source = await freshTenant(fields);
          if (entries.length > 0) expect((await runImport(source, entries)).stats.failed_count).toBe(0);
          const res = await source.get(`/api/v4/assets-export?format=${format}`);
          expect(res.statusCode).toBe(200);
          expect(res.headers["content-type"]).toContain(MEDIA[format]);
          const target = await freshTenant(fields);
          if (entries.length > 0) {
            const status = format === "json" ? await runImport(target, res.json()) : await runFileImport(target, res.rawPayload, MEDIA[format]);
            expect(status.stats).toMatchObject({ failed_count: 0, warning_count: 0 });
          }
          let expected = await exported(source);
          // A cell cannot tell an empty text or an empty MultiSelect from no value (documented).
          if (format === "csv") expected = expected.map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== "" && !(Array.isArray(v) && v.length === 0))));
          expect(await exported(target)).toEqual(expected);
        },
      ),
      { numRuns: 5 },
    );
  });

  it("round-trips an xlsx export", async () => {
    const fields: FieldDefinition[] = [
      { name: "price", type: "Decimal", precision: 2 },
      { name: "bought", type: "Date" },
      { name: "seen", type: "DateTime" },
      { name: "ok", type: "Checkbox" },
      { name: "tags", type: "MultiSelect", options: ["a", "b"] },
      { name: "note", type: "MultiLineText" },
    ].map((f) => ({ ...f, name: f.name === "tags" ? "labels" : f.name })) as FieldDefinition[];
    const source = await freshTenant(fields);
    const entries = [
      { id: "x-1", name: "First, with comma", price: 12.5, bought: "2024-02-29", seen: "2025-03-04T03:21:44.846Z", ok: true, labels: ["a", "b"], note: "two\nlines" },
      { id: "x-2", name: "=not a formula", price: -3, ok: false },
      { id: "x-3", name: "Zürich 😀" },
    ];
    expect((await runImport(source, entries)).stats.failed_count).toBe(0);
    const res = await source.get("/api/v4/assets-export?format=xlsx");
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="assets-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const target = await freshTenant(fields);
    const status = await runFileImport(target, res.rawPayload, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(status.stats).toMatchObject({ failed_count: 0, warning_count: 0 });
    expect(await exported(target)).toEqual(await exported(source));
  });

  it("streams thousands of assets across chunks, in the list's order and with its filters", async () => {
    const api = await freshTenant([{ name: "n", type: "Integer" }]);
    const entries = Array.from({ length: 4500 }, (_, i) => ({ id: `big-${String(i).padStart(5, "0")}`, name: `Big ${i}`, n: i % 7 }));
    await runImport(api, entries);
    const lines = (await api.get("/api/v4/assets-export?format=ndjson")).body.trimEnd().split("\n");
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(entries.map((e) => e.id));
    const filtered = (await api.get("/api/v4/assets-export?format=json&filter[n]=3&order=name&orderdesc=true")).json() as Array<{ id: string; name: string }>;
    const expected = entries.filter((e) => e.n === 3).sort((a, b) => (a.name < b.name ? 1 : -1));
    expect(filtered.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    const csv = (await api.get("/api/v4/assets-export?format=csv&ids=big-00001,big-00002")).body;
    expect(csv).toBe("id,name,description,tags,category,status,site_id,n\r\nbig-00001,Big 1,,,,,,1\r\nbig-00002,Big 2,,,,,,2\r\n");
  });

  it("leaves deleted assets out unless include_inactive, and exports one asset by ID", async () => {
    const api = await freshTenant([{ name: "city", type: "SingleLineText" }]);
    await runImport(api, [
      { id: "a-1", name: "One", city: "Berlin" },
      { id: "a-2", name: "Two" },
    ]);
    expect((await api.delete("/api/v4/assets/a-2")).statusCode).toBe(204);
    expect(await exported(api)).toEqual([{ id: "a-1", name: "One", city: "Berlin" }]);
    expect((await api.get("/api/v4/assets-export?format=json&include_inactive=true")).json()).toHaveLength(2);
    expect((await api.get("/api/v4/assets-export/a-1")).json()).toEqual({ id: "a-1", name: "One", city: "Berlin" });
    expect((await api.get("/api/v4/assets-export/a-1?format=csv")).body).toBe("id,name,description,tags,category,status,site_id,city\r\na-1,One,,,,,,Berlin\r\n");
    expect((await api.get("/api/v4/assets-export/nope")).json()).toEqual({ code: 404, error: "asset 'nope' not found" });
  });

  it("protects CSV cells from spreadsheet formulas when asked, and only then", async () => {
    const api = await freshTenant([
      { name: "note", type: "SingleLineText" },
      { name: "qty", type: "Integer" },
    ]);
    await runImport(api, [{ id: "f-1", name: "=HYPERLINK(\"http://evil\")", note: "@SUM(A1)", qty: -5 }]);
    expect((await api.get("/api/v4/assets-export?format=csv")).body).toBe('id,name,description,tags,category,status,site_id,note,qty\r\nf-1,"=HYPERLINK(""http://evil"")",,,,,,@SUM(A1),-5\r\n');
    expect((await api.get("/api/v4/assets-export?format=csv&formula_protection=true")).body).toBe(
      'id,name,description,tags,category,status,site_id,note,qty\r\nf-1,"\'=HYPERLINK(""http://evil"")",,,,,,\'@SUM(A1),-5\r\n',
    );
  });

  it("refuses unknown formats, filters and parameters with a 400 that names them", async () => {
    expect((await t.api.get("/api/v4/assets-export?format=pdf")).json()).toMatchObject({ code: 400, error: "querystring/format must be one of json, ndjson, csv, xlsx" });
    expect((await t.api.get("/api/v4/assets-export?filter[nope]=1")).json()).toEqual({ code: 400, error: "filter[nope]: no field named 'nope'" });
    expect((await t.api.get("/api/v4/assets-export?limit=5")).json()).toMatchObject({ code: 400, error: "unknown query parameter 'limit'; this operation takes: search, ids, include_inactive, order, orderdesc, order2, orderdesc2, order3, orderdesc3, order4, orderdesc4, order5, orderdesc5, format, formula_protection, filter[...]" });
  });
});
