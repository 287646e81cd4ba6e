import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { example1Csv } from "../fixtures/example-1.js";
import { createField, fullReport, getAsset, importCount, postFile, runFileImport, startTestApp, waitForImport, type TestApp } from "../helpers/app.js";

const EXAMPLE_1_CSV = example1Csv();

const preview = (t: TestApp, body: string | Buffer, contentType: string, query = "") =>
  t.api.request({ method: "POST", url: `/api/v4/assets-import/preview${query}`, payload: body, headers: { "content-type": contentType } });

const columnsQuery = (columns: Record<string, string | null>) => `?columns=${encodeURIComponent(JSON.stringify(columns))}`;

describe("import preview", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await createField(t.api, { name: "size", type: "Number" });
    await createField(t.api, { name: "is_available", type: "Checkbox" });
    await createField(t.api, { name: "serial_number", type: "SingleLineText" });
    for (const name of ["brand", "model", "operating_system", "connection_type"]) await createField(t.api, { name, type: "SingleLineText" });
  });
  afterAll(() => t.close());

  it("reads Example 1's CSV as the import would, suggests a mapping that keeps the API's meaning, and writes nothing", async () => {
    const res = await preview(t, EXAMPLE_1_CSV, "text/csv");
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ format: "csv", delimiter: ",", charset: "utf-8", more_rows: false });
    expect(body.columns).toEqual([
      { name: "id", target: "id", match: "id" },
      { name: "uid", target: "uid", match: "id" },
      { name: "name", target: "name", match: "name" },
      { name: "brand", target: "brand", match: "field", field_type: "SingleLineText" },
      { name: "model", target: "model", match: "field", field_type: "SingleLineText" },
      // A system field matches nothing the import writes: sent as it is, so that it warns.
      { name: "site_name", target: "site_name", match: "none", suggested_type: "SingleLineText" },
      { name: "size", target: "size", match: "field", field_type: "Number" },
      { name: "operating_system", target: "operating_system", match: "field", field_type: "SingleLineText" },
      { name: "is_available", target: "is_available", match: "field", field_type: "Checkbox" },
      { name: "connection_type", target: "connection_type", match: "field", field_type: "SingleLineText" },
    ]);
    expect(body.rows).toHaveLength(8);
    expect(body.rows[1]).toEqual({ entry_num: 2, line: 3, entry: { uid: "asset-456", name: "Monitor", brand: "Samsung", size: "large" } });
    expect(await importCount(t.api)).toBe(0);
    expect((await t.api.get("/api/v4/assets")).json().total_count).toBe(0);
  });

  it("maps near names ignoring case, spaces and punctuation, once each, and suggests types for the rest", async () => {
    const csv = "Asset ID;Name;Serial No.;serial-number;Purchased;Price;In stock;Web\nA-1;One;S1;S1b;2024-03-01;12,50;true;https://example.com\nA-2;Two;S2;S2b;2024-03-02;3;false;https://example.org\n";
    const body = (await preview(t, csv, "text/csv", "?decimal_separator=,")).json();
    expect(body.delimiter).toBe(";");
    expect(body.columns).toEqual([
      { name: "Asset ID", target: "Asset ID", match: "none", suggested_type: "SingleLineText" },
      { name: "Name", target: "name", match: "name" },
      { name: "Serial No.", target: "Serial No.", match: "none", suggested_type: "SingleLineText" },
      { name: "serial-number", target: "serial_number", match: "field", field_type: "SingleLineText" },
      { name: "Purchased", target: "Purchased", match: "none", suggested_type: "Date" },
      { name: "Price", target: "Price", match: "none", suggested_type: "Number" },
      { name: "In stock", target: "In stock", match: "none", suggested_type: "Checkbox" },
      { name: "Web", target: "Web", match: "none", suggested_type: "URL" },
    ]);
  });

  it("suggests the decimal separator the file's numbers read with, and leaves out a failed-entries file's reasons", async () => {
    const european = (await preview(t, "id;Price;Weight\nA-1;1.234,50;12\nA-2;3,5;7\n", "text/csv")).json();
    expect(european.suggested_decimal_separator).toBe(",");
    expect((await preview(t, "id,price\nA-1,3.5\n", "text/csv")).json().suggested_decimal_separator).toBe(".");
    // Whole numbers read alike with both: nothing to suggest.
    expect((await preview(t, "id,count\nA-1,12\n", "text/csv")).json().suggested_decimal_separator).toBeUndefined();
    const refix = (await preview(t, "id,name,import_errors\n,Printer,line 5: Missing ID\n", "text/csv")).json();
    expect(refix.columns[2]).toEqual({ name: "import_errors", target: null, match: "none" });
  });

  it("lists an XLSX workbook's sheets and reads the one asked for", async () => {
    const xlsx = readFileSync("test/import/fixtures/devices.xlsx");
    const type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    const first = (await preview(t, xlsx, type)).json();
    expect(first).toMatchObject({ format: "xlsx", sheets: ["Notes", "Devices"], sheet: "Notes" });
    expect(first.rows).toEqual([{ entry_num: 1, row: 2, entry: { id: "notes-1", name: "From the notes sheet" } }]);
    const devices = (await preview(t, xlsx, type, "?sheet=Devices")).json();
    expect(devices.sheet).toBe("Devices");
    expect(devices.columns.map((c: { name: string }) => c.name)).toEqual(["id", "name", "purchased", "last_seen", "serial", "price", "in_stock"]);
    expect(devices.rows[0]).toMatchObject({ entry_num: 1, row: 2, entry: { id: "x-1", name: "Scanner" } });
  });

  it("reads only the start of a long file: shows 20 rows and says there are more", async () => {
    const lines = ["id,name", ...Array.from({ length: 5_000 }, (_, i) => `p-${i},Part ${i}`)];
    const body = (await preview(t, lines.join("\n"), "text/csv")).json();
    expect(body.rows).toHaveLength(20);
    expect(body.more_rows).toBe(true);
    // The start of a file cut anywhere, as a browser sends it: the cut line is never reached.
    const cut = (await preview(t, lines.join("\n").slice(0, 10_000), "text/csv")).json();
    expect(cut.rows).toHaveLength(20);
  });

  it("previews JSON entries with the keys in the order they appear", async () => {
    const body = (await t.api.request({ method: "POST", url: "/api/v4/assets-import/preview", payload: [{ id: "a-1", Colour: "red" }, { id: "a-2", name: "Two" }] })).json();
    expect(body.format).toBe("json");
    expect(body.columns.map((c: { name: string }) => c.name)).toEqual(["id", "Colour", "name"]);
  });

  it("refuses what the import refuses", async () => {
    expect((await preview(t, "id,name\n", "text/csv", "?dry_runn=true")).statusCode).toBe(400);
    expect((await preview(t, "id,name\nx,y\n", "text/csv", columnsQuery({ Serial: "id" }))).json().error).toMatch(/columns names 'Serial', which the file's header does not have/);
  });
});

describe("the columns option", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await createField(t.api, { name: "color", type: "SingleLineText" });
    await createField(t.api, { name: "size", type: "Number" });
  });
  afterAll(() => t.close());

  it("imports a column as the key it maps to, leaves out a column mapped to null, and keeps the entries as sent", async () => {
    const csv = "Serial,Title,Colour,Notes,size\nS-1,First,red,ignore me,large\n,Second,blue,x,2\n";
    const status = await runFileImport(t.api, csv, "text/csv", columnsQuery({ Serial: "id", Title: "name", Colour: "color", Notes: null }));
    expect(status).toMatchObject({ status: "COMPLETED", stats: { success_count: 1, failed_count: 1, warning_count: 1 }, options: { columns: { Serial: "id", Title: "name", Colour: "color", Notes: null } } });
    expect(await getAsset(t.api, "S-1")).toMatchObject({ name: "First", color: "red" });
    // The report names the file's own column, the line and the value.
    expect(await fullReport(t.api, "&status=WARNING&detail=true")).toEqual([
      { entry_num: 1, status: "WARNING", line: 2, column: "size", value: "large", message: "line 2: size: Invalid value found for field 'size' of type: 'Number': bad request" },
    ]);
    expect(await fullReport(t.api, "&status=FAILED&detail=true")).toEqual([{ entry_num: 2, status: "FAILED", line: 3, column: "Serial", message: "line 3: Missing ID" }]);
    // Without detail, the rows keep thingsHub's shape.
    expect(await fullReport(t.api, "&status=FAILED")).toEqual([{ entry_num: 2, status: "FAILED", message: "line 3: Missing ID" }]);
    const failed = await t.api.get(`/api/v4/assets-import/${status.import_id}/failed-entries`);
    expect(failed.json()[0].entry).toEqual({ Title: "Second", Colour: "blue", Notes: "x", size: "2" });
    // As CSV, the ID's and the name's columns come first, as the file named them: the missing ID has a cell to fill.
    const download = await t.api.get(`/api/v4/assets-import/${status.import_id}/failed-entries?format=csv`);
    expect(download.body.split("\n").slice(0, 2)).toEqual(["Serial,Title,Colour,Notes,size,import_errors", ",Second,blue,x,2,line 3: Missing ID"]);
    expect(status.actions).toEqual({ created: 1, updated: 0, unchanged: 0 });
  });

  it("lists an import's problems alone, by status and by text, paged", async () => {
    const lines = ["id,name,size", ...Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? `,No id ${i},1` : `p-${i},Part ${i},${i % 3 === 1 ? "big" : i}`))];
    const status = await runFileImport(t.api, lines.join("\n"), "text/csv", "?dry_run=true");
    const page = (query: string) => t.api.get(`/api/v4/assets-import/full-report?import_id=${status.import_id}&problems=true${query}`);
    const all = (await page("&limit=100")).json();
    // 10 entries without an ID fail, 10 with size "big" warn; no SUCCESS row.
    expect(all.total_count).toBe(20);
    expect(all.collection.map((r: { entry_num: number }) => r.entry_num)).toEqual([1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19, 20, 22, 23, 25, 26, 28, 29]);
    expect((await page("&status=WARNING&limit=100")).json().total_count).toBe(10);
    const found = (await page("&q=BIG&detail=true")).json();
    expect(found.total_count).toBe(10);
    expect(found.collection[0]).toMatchObject({ entry_num: 2, status: "WARNING", line: 3, column: "size", value: "big" });
    const second = (await page("&limit=8&page=2")).json();
    expect([second.count, second.total_pages, second.collection[0].entry_num]).toEqual([8, 3, 13]);
    expect((await page("&q=no such text")).json().total_count).toBe(0);
    // A wildcard of SQL is a character like any other.
    expect((await page("&q=%25")).json().total_count).toBe(0);
    expect((await t.api.get(`/api/v4/assets-import/full-report?import_id=${status.import_id}&q=big`)).json().error).toMatch(/with problems=true/);
    expect((await page("&status=SUCCESS")).statusCode).toBe(400);
  });

  it("gives one entry's rows as the full report has them: its warnings, then its final row with its action", async () => {
    const status = await runFileImport(t.api, "id,name,size\ne-1,One,1\ne-2,Two,big\n,Three,3\n", "text/csv");
    const entry = async (n: number) => (await t.api.get(`/api/v4/assets-import/full-report?import_id=${status.import_id}&entry=${n}&detail=true`)).json();
    const full = (await t.api.get(`/api/v4/assets-import/full-report?import_id=${status.import_id}&detail=true&limit=100`)).json().collection;
    for (const n of [1, 2, 3]) expect((await entry(n)).collection).toEqual(full.filter((row: { entry_num: number }) => row.entry_num === n));
    expect((await entry(1)).collection).toEqual([{ entry_num: 1, status: "SUCCESS", action: "created" }]);
    expect((await entry(2)).collection.map((row: { status: string }) => row.status)).toEqual(["WARNING", "SUCCESS"]);
    expect((await entry(3)).collection).toMatchObject([{ entry_num: 3, status: "FAILED" }]);
    expect((await entry(4)).collection).toEqual([]);
    const mixed = await t.api.get(`/api/v4/assets-import/full-report?import_id=${status.import_id}&entry=1&problems=true`);
    expect([mixed.statusCode, mixed.json().error]).toEqual([400, "entry gives one entry's rows: send it without status, problems or q"]);
  });

  it("keeps the file's name with the import, and lists real imports apart from dry runs", async () => {
    const named = (await postFile(t.api, "id,name\nn-1,One\n", "text/csv", "?source_name=inventory%202026.csv&dry_run=true")).json();
    expect(named.source_name).toBe("inventory 2026.csv");
    const dry = (await t.api.get("/api/v4/assets-imports?dry_run=true&limit=100")).json().collection;
    const real = (await t.api.get("/api/v4/assets-imports?dry_run=false&limit=100")).json().collection;
    expect(dry.map((i: { import_id: number }) => i.import_id)).toContain(named.import_id);
    expect(dry.every((i: { options: { dry_run: boolean } }) => i.options.dry_run)).toBe(true);
    expect(real.length).toBeGreaterThan(0);
    expect(real.every((i: { options: { dry_run: boolean } }) => !i.options.dry_run)).toBe(true);
  });

  it("types XLSX cells by the field a column maps to", async () => {
    const xlsx = readFileSync("test/import/fixtures/devices.xlsx");
    await createField(t.api, { name: "serial_text", type: "SingleLineText" });
    const status = await runFileImport(t.api, xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", `${columnsQuery({ serial: "serial_text" })}&sheet=Devices`);
    expect(status.status).toBe("COMPLETED");
    expect((await getAsset(t.api, "x-1")).serial_text).toBe("123456");
  });

  it("refuses a mapping that cannot be meant, writing nothing", async () => {
    const before = await importCount(t.api);
    const refusals: Array<[string, string, RegExp]> = [
      ["id,name\nx,y\n", "{not json", /columns is not valid JSON/],
      ["id,name\nx,y\n", JSON.stringify(["id"]), /columns must be a JSON object/],
      ["id,name\nx,y\n", JSON.stringify({ id: 5 }), /'id' must map to a key/],
      ["a,b,name\nx,y,z\n", JSON.stringify({ a: "id", b: "id" }), /maps both 'a' and 'b' to 'id'/],
      ["id,Serial,name\nx,y,z\n", JSON.stringify({ Serial: "id" }), /the file has a column 'id' too/],
      ["id,name\nx,y\n", JSON.stringify({ Nmae: "name" }), /columns names 'Nmae'/],
    ];
    for (const [csv, columns, message] of refusals) {
      const res = await postFile(t.api, csv, "text/csv", `?columns=${encodeURIComponent(columns)}`);
      expect(res.statusCode, columns).toBe(400);
      expect(res.json().error).toMatch(message);
    }
    expect(await importCount(t.api)).toBe(before);
  });

  it("fails a JSON entry whose keys would land on one key, and imports the rest", async () => {
    const res = await t.api.post(`/api/v4/assets-import${columnsQuery({ Colour: "color" })}`, [
      { id: "j-1", Colour: "red" },
      { id: "j-2", Colour: "red", color: "blue" },
    ]);
    expect(res.statusCode, res.body).toBe(202);
    const status = await waitForImport(t.api, res.json().import_id);
    expect(status.stats).toMatchObject({ success_count: 1, failed_count: 1 });
    expect((await getAsset(t.api, "j-1")).color).toBe("red");
    expect(await fullReport(t.api, "&status=FAILED")).toEqual([{ entry_num: 2, status: "FAILED", message: "columns maps 'Colour' to 'color', and the entry has 'color' too" }]);
  });
});
