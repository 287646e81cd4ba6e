import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, fullReport, getAsset, importCount, postFile, runFileImport, runImport, startTestApp, waitForImport, type TestApp } from "../helpers/app.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
// The hint says what the value would be with the other separator, not what the writer meant.
const hint = {
  comma: (value: string, read: number) => `with decimal_separator=, '${value}' would read as ${read}`,
  point: (value: string, read: number) => `with decimal_separator=. (the default) '${value}' would read as ${read}`,
};
const mismatch = (key: string, type: string) => `${key}: Invalid value found for field '${key}' of type: '${type}': bad request`;

describe("decimal_separator", () => {
  let t: TestApp;
  const asset = (id: string) => getAsset(t.api, id);
  const warnings = async () => (await fullReport(t.api, "&status=WARNING")).map((row) => row.message);

  beforeAll(async () => {
    t = await startTestApp();
    await createField(t.api, { name: "price", type: "Number" });
    await createField(t.api, { name: "cost", type: "Decimal", precision: 2 });
    await createField(t.api, { name: "qty", type: "Integer" });
    await createField(t.api, { name: "label", type: "SingleLineText" });
  });
  afterAll(() => t.close());

  it("reads CSV numbers with a decimal comma and '.' grouping thousands", async () => {
    const csv = "id;name;price;cost;qty;label\nd-1;Filter papers;3,20;1.234,56;1.234;3,20\nd-2;Grinder;-0,5;12;1.000.000;x\nd-3;Scale;,75;7,5;12;y\n";
    const status = await runFileImport(t.api, csv, "text/csv", "?decimal_separator=,");
    expect(status).toMatchObject({ status: "COMPLETED", options: { decimal_separator: "," }, stats: { success_count: 3, warning_count: 0 } });
    expect(await asset("d-1")).toMatchObject({ price: 3.2, cost: 1234.56, qty: 1234, label: "3,20" });
    expect(await asset("d-2")).toMatchObject({ price: -0.5, cost: 12, qty: 1000000 });
    expect(await asset("d-3")).toMatchObject({ price: 0.75, cost: 7.5, qty: 12 });
  });

  it("says when a value would read with the other separator, and only then", async () => {
    const comma = "id;price;cost;qty\nh-1;3,20;1.234,56;1.234\nh-2;lots;1,234;x\n";
    await runFileImport(t.api, comma, "text/csv");
    expect(await warnings()).toEqual([
      `line 2: ${mismatch("price", "Number")}; ${hint.comma("3,20", 3.2)}`,
      `line 2: ${mismatch("cost", "Decimal")}; ${hint.comma("1.234,56", 1234.56)}`,
      `line 2: ${mismatch("qty", "Integer")}; ${hint.comma("1.234", 1234)}`,
      `line 3: ${mismatch("price", "Number")}`,
      // 1,234 is 1.234 with a decimal comma: more decimals than the field keeps, so no hint.
      `line 3: ${mismatch("cost", "Decimal")}`,
      `line 3: ${mismatch("qty", "Integer")}`,
    ]);
    expect(await asset("h-1")).not.toHaveProperty("price");

    await runFileImport(t.api, "id,price,cost,qty\nh-3,3.5,1234.56,1.5\nh-4,1.234,1.234.567,7\n", "text/csv", "?decimal_separator=,");
    expect(await warnings()).toEqual([
      `line 2: ${mismatch("price", "Number")}; ${hint.point("3.5", 3.5)}`,
      `line 2: ${mismatch("cost", "Decimal")}; ${hint.point("1234.56", 1234.56)}`,
      // 1.5 is no Integer with either separator: no hint.
      `line 2: ${mismatch("qty", "Integer")}`,
    ]);
    // '.' groups thousands with a decimal comma: 1.234 is 1234, 1.234.567 is 1234567.
    expect(await asset("h-4")).toMatchObject({ price: 1234, cost: 1234567, qty: 7 });
  });

  it("applies to XLSX text cells, not to numeric ones", async () => {
    const { default: ExcelJS } = await import("exceljs");
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("Prices");
    sheet.addRow(["id", "price", "cost"]);
    sheet.addRow(["x-1", "3,20", 2.5]);
    sheet.addRow(["x-2", 1.25, "1.234,5"]);
    const body = Buffer.from(await book.xlsx.writeBuffer());
    expect(await runFileImport(t.api, body, XLSX, "?decimal_separator=,")).toMatchObject({ stats: { success_count: 2, warning_count: 0 } });
    expect(await asset("x-1")).toMatchObject({ price: 3.2, cost: 2.5 });
    expect(await asset("x-2")).toMatchObject({ price: 1.25, cost: 1234.5 });
  });

  it("is refused for JSON and NDJSON, whose numbers it cannot apply to, which take no hint either", async () => {
    const before = await importCount(t.api);
    for (const [body, type, format] of [
      [JSON.stringify([{ id: "j-0", price: "3,20" }]), "application/json", "JSON"],
      ['{"id":"j-0","price":"3,20"}\n', "application/x-ndjson", "NDJSON"],
    ] as const) {
      const res = await postFile(t.api, body, type, "?decimal_separator=,");
      expect(res.json()).toEqual({ code: 400, error: `decimal_separator=, applies to CSV and XLSX text; a ${format} import takes numbers as JSON numbers or as text with a decimal point` });
    }
    expect(await importCount(t.api)).toBe(before);
    expect((await runImport(t.api, [{ id: "j-1", price: "3,20", cost: 4.5 }])).options).not.toHaveProperty("decimal_separator");
    expect(await warnings()).toEqual([mismatch("price", "Number")]);
    expect(await asset("j-1")).toMatchObject({ cost: 4.5 });
    await runFileImport(t.api, '{"id":"j-2","price":"2.5","qty":"1.234"}\n', "application/x-ndjson");
    expect(await warnings()).toEqual([`line 1: ${mismatch("qty", "Integer")}`]);
    expect(await asset("j-2")).toMatchObject({ price: 2.5 });
  });

  it("is validated, and part of the request an Idempotency-Key stands for", async () => {
    const bad = await postFile(t.api, "id;price\nv-1;1,5\n", "text/csv", "?decimal_separator=%3B");
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 400, error: expect.stringContaining("decimal_separator") });
    expect((await t.api.get("/api/v4/assets/v-1")).statusCode).toBe(404);

    const csv = "id;price\ni-1;1,5\n";
    const headers = { "idempotency-key": "decimal-1" };
    const first = await postFile(t.api, csv, "text/csv", "?decimal_separator=,", headers);
    expect(first.statusCode).toBe(202);
    await waitForImport(t.api, first.json().import_id);
    const again = await postFile(t.api, csv, "text/csv", "?decimal_separator=,", headers);
    expect(again.statusCode).toBe(202);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().import_id).toBe(first.json().import_id);
    const other = await postFile(t.api, csv, "text/csv", "", headers);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toEqual({ code: 422, error: "Idempotency-Key 'decimal-1' was used within 24 hours for another request" });
    expect((await asset("i-1")).price).toBe(1.5);
  });
});
