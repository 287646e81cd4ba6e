import { once } from "node:events";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, fullReport, getAsset, importCount, multipartFile, postFile, runFileImport, startTestApp, waitForImport, type TestApp } from "../helpers/app.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

describe("CSV, NDJSON and XLSX imports", () => {
  let t: TestApp;
  const asset = (id: string) => getAsset(t.api, id);

  beforeAll(async () => {
    // Batches of 3 entries and payloads that span several batches.
    t = await startTestApp({ IMPORT_BATCH_SIZE: "3", IMPORT_MAX_FILE_ENTRIES: "50", IMPORT_MAX_FILE_BYTES: "20000" });
    await createField(t.api, { name: "price", type: "Number" });
    await createField(t.api, { name: "purchased", type: "Date" });
    await createField(t.api, { name: "last_seen", type: "DateTime" });
    await createField(t.api, { name: "notes", type: "MultiLineText" });
    await createField(t.api, { name: "city", type: "SingleLineText" });
    await createField(t.api, { name: "serial", type: "SingleLineText" });
    await createField(t.api, { name: "in_stock", type: "Checkbox" });
  });
  afterAll(() => t.close());

  it("reads a CSV with a BOM, ';', quoted delimiters, quotes and newlines, and reports by line", async () => {
    const status = await runFileImport(t.api, fixture("devices-semicolon-bom.csv"), "text/csv");
    expect(status).toMatchObject({ status: "COMPLETED", format: "csv", stats: { total_count: 4, success_count: 3, failed_count: 1, warning_count: 2 } });
    expect(await asset("d-1")).toMatchObject({ name: 'Laptop; 14"', notes: "first line\r\nsecond line", purchased: "2024-02-29" });
    expect(await asset("d-1")).not.toHaveProperty("price");
    expect(await asset("d-3")).toMatchObject({ name: "Dock", notes: 'says "hi"' });
    expect(await fullReport(t.api)).toEqual([
      {
        entry_num: 1,
        status: "WARNING",
        message: "line 2: price: Invalid value found for field 'price' of type: 'Number': bad request; with decimal_separator=, '1299,5' would read as 1299.5",
      },
      { entry_num: 1, status: "SUCCESS", action: "created" },
      { entry_num: 2, status: "SUCCESS", action: "created" },
      { entry_num: 3, status: "WARNING", message: "line 5: price: Invalid value found for field 'price' of type: 'Number': bad request" },
      { entry_num: 3, status: "WARNING", message: "line 5: purchased: Invalid value found for field 'purchased' of type: 'Date': bad request" },
      { entry_num: 3, status: "SUCCESS", action: "created" },
      { entry_num: 4, status: "FAILED", message: "line 6: the row has 6 cells; the header has 5" },
    ]);
  });

  it("reads Windows-1252 CSV as such, detected or declared, and UTF-8 as UTF-8", async () => {
    await runFileImport(t.api, fixture("sites-windows-1252.csv"), "text/csv");
    expect(await asset("w-1")).toMatchObject({ name: "München Lager", city: "München" });
    expect(await asset("w-2")).toMatchObject({ name: "Straße 5", city: "Köln" });
    expect(await asset("w-3")).toMatchObject({ name: "Preis € 10", city: "Zürich" });

    // The same bytes as UTF-8 ("ü" is C3 BC) read differently when the charset says so.
    await runFileImport(t.api, "id,city\nu-1,München\n", "text/csv");
    expect((await asset("u-1")).city).toBe("München");
    await runFileImport(t.api, "id,city\nu-2,München\n", "text/csv; charset=windows-1252");
    expect((await asset("u-2")).city).toBe("MÃ¼nchen");
    await runFileImport(t.api, "id,city\nu-3,München\n", "text/csv", "?charset=latin1");
    expect((await asset("u-3")).city).toBe("MÃ¼nchen");
  });

  it("detects tab and comma delimiters, or takes the one given", async () => {
    await runFileImport(t.api, "id\tname\tcity\nt-1\tTabbed, really\tBonn\n", "text/tab-separated-values");
    expect(await asset("t-1")).toMatchObject({ name: "Tabbed, really", city: "Bonn" });
    await runFileImport(t.api, "id\tname\nt-2\tDetected\n", "text/csv");
    expect((await asset("t-2")).name).toBe("Detected");
    await runFileImport(t.api, "id;name,with comma\nt-3;Given\n", "text/csv", "?delimiter=;");
    expect((await asset("t-3"))["name,with comma"]).toBeUndefined();
    expect((await asset("t-3")).name).toBe("t-3");
  });

  it("leaves a field as it is for an empty cell, or clears it with empty_values=clear", async () => {
    await runFileImport(t.api, "id,name,city\ne-1,Empty,Hamburg\n", "text/csv");
    await runFileImport(t.api, "id,name,city\ne-1,Empty,\n", "text/csv");
    expect((await asset("e-1")).city).toBe("Hamburg");
    const status = await runFileImport(t.api, "id,name,city\ne-1,Empty,\n", "text/csv", "?empty_values=clear");
    expect(status.options.empty_values).toBe("clear");
    expect(await asset("e-1")).not.toHaveProperty("city");
  });

  it("reads NDJSON line by line: blank lines skipped, a bad line fails alone", async () => {
    const status = await runFileImport(t.api, fixture("devices.ndjson"), "application/x-ndjson");
    expect(status).toMatchObject({ format: "ndjson", stats: { total_count: 5, success_count: 3, failed_count: 2 } });
    expect((await asset("n-1")).price).toBe(10);
    const report = await fullReport(t.api);
    expect(report.filter((r) => r.status !== "SUCCESS")).toEqual([
      { entry_num: 2, status: "WARNING", message: "line 3: tags_text: field with name: tags_text: not found" },
      { entry_num: 3, status: "FAILED", message: expect.stringMatching(/^line 4: not valid JSON: /) },
      { entry_num: 4, status: "FAILED", message: "line 5: not a JSON object" },
    ]);
  });

  it("fails only the NDJSON line whose text cannot be stored, on every backend", async () => {
    const status = await runFileImport(t.api, '{"id":"nul-1"}\nx\u0000y\n{"id":"nul-2"}\n', "application/x-ndjson");
    expect(status).toMatchObject({ status: "COMPLETED", stats: { success_count: 2, failed_count: 1 } });
    const [failure] = await fullReport(t.api, "&status=FAILED");
    expect(failure!.message).toMatch(/^line 2: not valid JSON: .*\\u0000/);
  });

  it("reads the first XLSX sheet, or the one named, with dates and numbers typed for their fields", async () => {
    await runFileImport(t.api, fixture("devices.xlsx"), XLSX);
    expect((await asset("notes-1")).name).toBe("From the notes sheet");

    const status = await runFileImport(t.api, fixture("devices.xlsx"), XLSX, "?sheet=Devices");
    expect(status).toMatchObject({ format: "xlsx", stats: { total_count: 3, success_count: 2, failed_count: 1, warning_count: 0 } });
    expect(await asset("x-1")).toMatchObject({ purchased: "2024-03-01", last_seen: "2024-03-01T13:45:30.000Z", serial: "123456", price: 19.5, in_stock: true });
    expect(await asset("1002")).toMatchObject({ name: "Numeric id", purchased: "1999-12-31", serial: "A-77", price: 42, in_stock: false });
    expect(await fullReport(t.api, "&status=FAILED")).toEqual([{ entry_num: 3, status: "FAILED", message: "row 5: cell F5 holds an error value (#DIV/0!)" }]);

    const missing = await postFile(t.api, fixture("devices.xlsx"), XLSX, "?sheet=Nope");
    expect(missing.json()).toEqual({ code: 400, error: "the workbook has no sheet 'Nope' (it has: Notes, Devices)" });
  });

  it("takes any format as a multipart file upload", async () => {
    const csv = multipartFile("upload.csv", "application/octet-stream", "id,name\nm-1,From multipart\n");
    expect((await runFileImport(t.api, csv.body, csv.contentType)).format).toBe("csv");
    expect((await asset("m-1")).name).toBe("From multipart");
    const xlsx = multipartFile("book.xlsx", XLSX, fixture("devices.xlsx"));
    expect((await runFileImport(t.api, xlsx.body, xlsx.contentType, "?sheet=Devices")).format).toBe("xlsx");
    const json = multipartFile("entries.json", "application/json", JSON.stringify([{ id: "m-2", name: "JSON file" }]));
    expect((await runFileImport(t.api, json.body, json.contentType)).format).toBe("json");
    expect((await asset("m-2")).name).toBe("JSON file");

    // Form fields are skipped; a second file is refused by name, and nothing is imported.
    const boundary = "----two-parts";
    const part = (headers: string, body: string) => `--${boundary}\r\n${headers}\r\n\r\n${body}\r\n`;
    const withField = part('Content-Disposition: form-data; name="comment"', "nightly") + part('Content-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv', "id\nm-3\n") + `--${boundary}--\r\n`;
    expect((await runFileImport(t.api, withField, `multipart/form-data; boundary=${boundary}`)).stats.success_count).toBe(1);
    const twoFiles =
      part('Content-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv', "id\nm-4\n") +
      part('Content-Disposition: form-data; name="more"; filename="b.csv"\r\nContent-Type: text/csv', "id\nm-5\n") +
      `--${boundary}--\r\n`;
    const refused = await postFile(t.api, twoFiles, `multipart/form-data; boundary=${boundary}`);
    expect(refused.json()).toEqual({ code: 400, error: "one file per import: the body has another file part ('b.csv')" });
    expect((await t.api.get("/api/v4/assets/m-4")).statusCode).toBe(404);

    const unknown = multipartFile("notes.txt", "text/plain", "hello");
    const res = await postFile(t.api, unknown.body, unknown.contentType);
    expect(res.statusCode).toBe(415);
    expect(res.json().error).toMatch(/not JSON, CSV, NDJSON or XLSX/);
  });

  it("refuses an unreadable file as a whole, naming the line or the problem, and stores nothing", async () => {
    const before = await importCount(t.api);
    const refusals: Array<[string | Buffer, string, number, RegExp]> = [
      ['id,name\na-1,"never closed\nb-1,x\n', "text/csv", 400, /^line \d+: the CSV file cannot be read: Quote Not Closed/],
      ["id,name,id\na,b,c\n", "text/csv", 400, /^line 1: the header names column 'id' twice/],
      ["id,name\n", "text/csv", 400, /no entries/],
      [Buffer.from('{"id":"ok-1"}\n{"id":"bad-\xff"}\n', "latin1"), "application/x-ndjson", 400, /^line 2: the file is not valid utf-8/],
      ["this is not a zip", XLSX, 400, /not a readable XLSX workbook/],
      ["id\n" + Array.from({ length: 51 }, (_, i) => `too-many-${i}`).join("\n"), "text/csv", 400, /more than 50 entries/],
      ["id,notes\n" + `big-1,${"x".repeat(25_000)}\n`, "text/csv", 413, /larger than IMPORT_MAX_FILE_BYTES/],
      ["name\nno id at all\n", "text/csv", 400, /all 1 entries of the sample would fail/],
      ["id,name\nx-9,y\n", "text/csv; charset=ebcdic", 400, /charset 'ebcdic' is not supported/],
    ];
    for (const [body, type, code, message] of refusals) {
      const res = await postFile(t.api, body, type);
      expect(res.statusCode, String(body).slice(0, 40)).toBe(code);
      expect(res.json().code).toBe(code);
      expect(res.json().error).toMatch(message);
    }
    expect(await importCount(t.api)).toBe(before);
    expect((await t.api.get("/api/v4/assets/a-1")).statusCode).toBe(404);
    expect((await t.api.get("/api/v4/assets/ok-1")).statusCode).toBe(404);
  });

  it("answers 413 for an XLSX over the byte limit, and survives an XLSX upload that breaks off", async () => {
    const { default: ExcelJS } = await import("exceljs");
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("Big");
    sheet.addRow(["id", "notes"]);
    for (let i = 0; i < 1500; i++) sheet.addRow([`big-${i}`, `row ${i} ${Math.random()} ${Math.random()}`]);
    const big = Buffer.from(await book.xlsx.writeBuffer());
    expect(big.length).toBeGreaterThan(20_000);
    const res = await postFile(t.api, big, XLSX);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ code: 413, error: "the file is larger than IMPORT_MAX_FILE_BYTES (20000 bytes)" });

    // Over a real socket: half of a workbook, then the connection closes.
    const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = new URL(address);
    const socket = connect(Number(port), "127.0.0.1");
    await once(socket, "connect");
    socket.write(
      `POST /api/v4/assets-import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.api.token}\r\nContent-Type: ${XLSX}\r\nContent-Length: ${big.length}\r\n\r\n`,
    );
    socket.write(fixture("devices.xlsx").subarray(0, 3000));
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const health = await fetch(`${address}/healthz`);
    expect(health.status).toBe(200);
    expect((await t.api.get("/api/v4/assets/x-3")).statusCode).toBe(404);
  });

  it("answers 400 for multipart bodies that cannot be read", async () => {
    const broken: Array<[string, string]> = [
      ["multipart/form-data", "garbage"],
      ["multipart/form-data; boundary=XX", "garbage not multipart"],
      ["multipart/form-data; boundary=XX", '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nid,name\nt9,T9\n'],
      ["multipart/form-data; boundary=XX", '--XX\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--XX--\r\n'],
    ];
    for (const [type, body] of broken) {
      const res = await postFile(t.api, body, type);
      expect(res.statusCode, body.slice(0, 30)).toBe(400);
      expect(res.json().code).toBe(400);
    }
    expect((await t.api.get("/api/v4/assets/t9")).statusCode).toBe(404);
  });

  it("runs file imports in the tenant's queue, in the order accepted", async () => {
    const first = await postFile(t.api, "id,city\nq-1,First\n", "text/csv");
    const second = await postFile(t.api, JSON.stringify([{ id: "q-1", city: "Second" }]), "application/json");
    await waitForImport(t.api, second.json().import_id);
    expect((await waitForImport(t.api, first.json().import_id)).status).toBe("COMPLETED");
    expect((await asset("q-1")).city).toBe("Second");
  });
});
