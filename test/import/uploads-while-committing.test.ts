import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { multipartFile, postFile, startTestApp, waitForImport, type TestApp } from "../helpers/app.js";

// Issue 15, part 5: an upload accepted while the import worker commits its
// batches waits its turn for the write lock; it never gets a 503. On SQLite
// a transaction that read before writing could not wait in WAL mode, and
// three uploads of a kill -9 soak got "database unavailable".

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

let t: TestApp;
beforeAll(async () => {
  // Small batches: many commits of the worker for the uploads to meet.
  t = await startTestApp({ IMPORT_BATCH_SIZE: "500" });
});
afterAll(() => t.close());

async function xlsxBody(prefix: string): Promise<Buffer> {
  const { default: ExcelJS } = await import("exceljs");
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Assets");
  sheet.addRow(["id", "name"]);
  for (let i = 0; i < 50; i++) sheet.addRow([`${prefix}-${i}`, `Asset ${i}`]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe("uploads while large imports commit", () => {
  it("are all accepted, in every format, and all applied", async () => {
    const big = (n: number) => JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ id: `big-${n}-${i}`, name: `Big ${i}` })));
    const large = [];
    for (let n = 0; n < 3; n++) large.push((await postFile(t.api, big(n), "application/json")).json().import_id as number);

    const rows = (prefix: string) => Array.from({ length: 50 }, (_, i) => ({ id: `${prefix}-${i}`, name: `Asset ${i}` }));
    const uploads: Array<() => Promise<{ statusCode: number; body: string; json(): any }>> = [];
    for (let round = 0; round < 6; round++) {
      const p = (format: string) => `r${round}-${format}`;
      const csv = (prefix: string) => `id,name\n${rows(prefix).map((r) => `${r.id},${r.name}`).join("\n")}\n`;
      const ndjson = (prefix: string) => `${rows(prefix).map((r) => JSON.stringify(r)).join("\n")}\n`;
      uploads.push(
        () => t.api.post("/api/v4/assets-import", rows(p("json"))),
        () => postFile(t.api, csv(p("csv")), "text/csv"),
        () => postFile(t.api, ndjson(p("ndjson")), "application/x-ndjson"),
        async () => postFile(t.api, await xlsxBody(p("xlsx")), XLSX),
        () => {
          const form = multipartFile("assets.csv", "text/csv", csv(p("multipart")));
          return postFile(t.api, form.body, form.contentType);
        },
        // A write that is not an import, for good measure.
        () => t.api.post("/api/v4/assets", { id: `${p("api")}-0`, name: "Written by the API" }),
      );
    }
    // Sent while the large imports are applied: in pairs, as two clients would.
    const answers = [];
    for (let i = 0; i < uploads.length; i += 2) answers.push(...(await Promise.all(uploads.slice(i, i + 2).map((send) => send()))));
    expect(answers.map((res) => res.statusCode).filter((status) => status !== 202 && status !== 201)).toEqual([]);

    for (const id of large) expect((await waitForImport(t.api, id, 120_000)).status).toBe("COMPLETED");
    for (const res of answers.filter((r) => r.statusCode === 202)) expect((await waitForImport(t.api, res.json().import_id, 60_000)).status).toBe("COMPLETED");
    // 3 x 20,000 + 6 rounds x (5 formats x 50 + 1)
    expect((await t.api.get("/api/v4/assets?limit=1")).json().total_count).toBe(60_000 + 6 * 251);
  });
});
