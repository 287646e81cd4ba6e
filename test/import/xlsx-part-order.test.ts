import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createField, fullReport, getAsset, importCount, postFile, runFileImport, startTestApp, type TestApp } from "../helpers/app.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** A cell: text (shared or inline, as the workbook keeps its strings), a number, or a date serial with a date format. */
type Cell = string | number | { date: number };
type Strings = "shared" | "inline";

const escape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const column = (index: number) => String.fromCharCode(65 + index);

/** The XML parts of a workbook written by hand, by part name; each sheet as [name, rows]. */
function workbookParts(sheets: Array<[string, Cell[][]]>, strings: Strings, options: { styles?: boolean; absoluteTargets?: boolean } = {}): Record<string, string> {
  const { styles = true, absoluteTargets = false } = options;
  const shared: string[] = [];
  const parts: Record<string, string> = {};
  sheets.forEach(([, rows], s) => {
    const xmlRows = rows.map((cells, r) => {
      const ref = (c: number) => `${column(c)}${r + 1}`;
      const xmlCells = cells.map((cell, c) => {
        if (typeof cell === "number") return `<c r="${ref(c)}"><v>${cell}</v></c>`;
        if (typeof cell === "object") return `<c r="${ref(c)}"${styles ? ' s="1"' : ""}><v>${cell.date}</v></c>`;
        if (strings === "inline") return `<c r="${ref(c)}" t="inlineStr"><is><t>${escape(cell)}</t></is></c>`;
        if (!shared.includes(cell)) shared.push(cell);
        return `<c r="${ref(c)}" t="s"><v>${shared.indexOf(cell)}</v></c>`;
      });
      return `<row r="${r + 1}">${xmlCells.join("")}</row>`;
    });
    parts[`xl/worksheets/sheet${s + 1}.xml`] = `${XML}<worksheet xmlns="${MAIN}"><sheetData>${xmlRows.join("")}</sheetData></worksheet>`;
  });
  const sheetTarget = (s: number) => `${absoluteTargets ? "/xl/" : ""}worksheets/sheet${s + 1}.xml`;
  parts["[Content_Types].xml"] =
    `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheets.map((_, s) => `<Override PartName="/xl/worksheets/sheet${s + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join("") +
    "</Types>";
  parts["_rels/.rels"] = `${XML}<Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  parts["xl/workbook.xml"] =
    `${XML}<workbook xmlns="${MAIN}" xmlns:r="${OFFICE}"><sheets>` +
    sheets.map(([name], s) => `<sheet name="${escape(name)}" sheetId="${s + 1}" r:id="rId${s + 1}"/>`).join("") +
    "</sheets></workbook>";
  parts["xl/_rels/workbook.xml.rels"] =
    `${XML}<Relationships xmlns="${RELS}">` +
    sheets.map((_, s) => `<Relationship Id="rId${s + 1}" Type="${OFFICE}/worksheet" Target="${sheetTarget(s)}"/>`).join("") +
    (strings === "shared" ? `<Relationship Id="rIdS" Type="${OFFICE}/sharedStrings" Target="${absoluteTargets ? "/xl/" : ""}sharedStrings.xml"/>` : "") +
    (styles ? `<Relationship Id="rIdY" Type="${OFFICE}/styles" Target="styles.xml"/>` : "") +
    "</Relationships>";
  if (strings === "shared") {
    parts["xl/sharedStrings.xml"] = `${XML}<sst xmlns="${MAIN}" count="${shared.length}" uniqueCount="${shared.length}">${shared.map((s) => `<si><t>${escape(s)}</t></si>`).join("")}</sst>`;
  }
  if (styles) {
    parts["xl/styles.xml"] =
      `${XML}<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>` +
      '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
      "</styleSheet>";
  }
  return parts;
}

/** The parts zipped in the order given (names), then any others in their own order. */
async function zipped(parts: Record<string, string>, order: string[], options: { compression?: "STORE" | "DEFLATE"; streamFiles?: boolean } = {}): Promise<Buffer> {
  for (const name of order) if (!(name in parts)) throw new Error(`no part ${name}`);
  const zip = new JSZip();
  for (const name of [...order, ...Object.keys(parts).filter((n) => !order.includes(n))]) zip.file(name, parts[name]!);
  // streamFiles: each member's sizes follow its data (a data descriptor), as streaming zip writers do.
  return zip.generateAsync({ type: "nodebuffer", compression: options.compression ?? "DEFLATE", streamFiles: options.streamFiles ?? false });
}

const devices = (prefix: string): Cell[][] => [
  ["id", "name", "price", "purchased"],
  [`${prefix}-1`, "Scanner & stand", 19.5, { date: 45000 }],
  [`${prefix}-2`, "Dock", 7, { date: 45351 }],
];
const SHEET = "xl/worksheets/sheet1.xml";
const SST = "xl/sharedStrings.xml";
const STYLES = "xl/styles.xml";
const HEAD = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"];

describe("XLSX workbooks whose parts come in any order", () => {
  let t: TestApp;
  const asset = (id: string) => getAsset(t.api, id);

  beforeAll(async () => {
    t = await startTestApp({ IMPORT_MAX_FILE_ENTRIES: "20" });
    await createField(t.api, { name: "price", type: "Number" });
    await createField(t.api, { name: "purchased", type: "Date" });
  });
  afterAll(() => t.close());

  const cases: Array<[string, Strings, string[], { styles?: boolean; compression?: "STORE" | "DEFLATE"; streamFiles?: boolean }]> = [
    ["shared strings and styles before the sheet", "shared", [...HEAD, SST, STYLES, SHEET], {}],
    ["shared strings after the sheet (Excel's order)", "shared", [...HEAD, SHEET, STYLES, SST], {}],
    ["shared strings right after the sheet", "shared", [...HEAD, STYLES, SHEET, SST], {}],
    ["the styles (a date format) after the sheet", "shared", [...HEAD, SST, SHEET, STYLES], {}],
    ["relationships and shared strings before the sheet, the workbook and styles after it", "shared", ["xl/_rels/workbook.xml.rels", SST, SHEET, "xl/workbook.xml", STYLES], {}],
    ["inline strings only, no shared strings part", "inline", [...HEAD, STYLES, SHEET], {}],
    ["the sheet first of all, the workbook and its styles after it", "shared", [SHEET, SST, STYLES, "xl/workbook.xml", "xl/_rels/workbook.xml.rels"], {}],
    ["members with data descriptors, shared strings last", "shared", [...HEAD, SHEET, STYLES, SST], { streamFiles: true }],
    ["stored members, inline strings after the styles", "inline", [SHEET, ...HEAD, STYLES], { compression: "STORE", streamFiles: true }],
  ];
  it.each(cases.map((c, i) => [...c, `o${i}`] as const))("reads a workbook with %s", async (_label, strings, order, options, prefix) => {
    const body = await zipped(workbookParts([["Devices", devices(prefix)]], strings), order, options);
    const status = await runFileImport(t.api, body, XLSX);
    expect(status).toMatchObject({ status: "COMPLETED", format: "xlsx", stats: { total_count: 2, success_count: 2, warning_count: 0 } });
    expect(await asset(`${prefix}-1`)).toMatchObject({ name: "Scanner & stand", price: 19.5, purchased: "2023-03-15" });
    expect(await asset(`${prefix}-2`)).toMatchObject({ name: "Dock", price: 7, purchased: "2024-02-29" });
  });

  it("reads a workbook without styles.xml (dates given as text)", async () => {
    for (const [id, order] of [["n-1", [...HEAD, SHEET, SST]], ["n-2", [...HEAD, SST, SHEET]]] as const) {
      const rows: Cell[][] = [
        ["id", "name", "price", "purchased"],
        [id, "No styles", 3.25, "2024-05-06"],
      ];
      const body = await zipped(workbookParts([["Plain", rows]], "shared", { styles: false }), [...order]);
      expect(await runFileImport(t.api, body, XLSX)).toMatchObject({ status: "COMPLETED", stats: { success_count: 1, warning_count: 0 } });
      expect(await asset(id)).toMatchObject({ name: "No styles", price: 3.25, purchased: "2024-05-06" });
    }
  });

  it("takes the first sheet and a named one wherever they are stored, with targets from the package root", async () => {
    const notes: Cell[][] = [["id", "name"], ["s-1", "From the first sheet"]];
    const second: Cell[][] = [["id", "name"], ["s-2", "From the second sheet"]];
    const parts = workbookParts([["Notes", notes], ["Second", second]], "shared", { absoluteTargets: true });
    const body = await zipped(parts, ["xl/worksheets/sheet2.xml", SHEET, ...HEAD, SST]);
    await runFileImport(t.api, body, XLSX);
    expect((await asset("s-1")).name).toBe("From the first sheet");
    expect((await t.api.get("/api/v4/assets/s-2")).statusCode).toBe(404);
    await runFileImport(t.api, body, XLSX, "?sheet=Second");
    expect((await asset("s-2")).name).toBe("From the second sheet");
    const missing = await postFile(t.api, body, XLSX, "?sheet=Third");
    expect(missing.json()).toEqual({ code: 400, error: "the workbook has no sheet 'Third' (it has: Notes, Second)" });
  });

  it("takes the first tab as the workbook lists it, and refuses a sheet part it cannot read rather than read another", async () => {
    const first: Cell[][] = [["id", "name"], ["tab-1", "In sheet1.xml"]];
    const second: Cell[][] = [["id", "name"], ["tab-2", "In sheet2.xml"]];
    // The relationships swapped: the first tab, 'First', is the part sheet2.xml. The workbook's list decides, not the part's number.
    const swapped = workbookParts([["First", first], ["Second", second]], "shared");
    const rels = swapped["xl/_rels/workbook.xml.rels"]!;
    swapped["xl/_rels/workbook.xml.rels"] = rels.replace("worksheets/sheet1.xml", "worksheets/sheetX.xml").replace("worksheets/sheet2.xml", "worksheets/sheet1.xml").replace("worksheets/sheetX.xml", "worksheets/sheet2.xml");
    await runFileImport(t.api, await zipped(swapped, [...HEAD, SST, SHEET]), XLSX);
    expect((await asset("tab-2")).name).toBe("In sheet2.xml");
    expect((await t.api.get("/api/v4/assets/tab-1")).statusCode).toBe(404);

    // A valid part name exceljs does not read: refused, naming the sheet, instead of taking the next sheet.
    const renamed = workbookParts([["Stock", first], ["Other", second]], "shared");
    renamed["xl/worksheets/data.xml"] = renamed[SHEET]!;
    delete renamed[SHEET];
    renamed["xl/_rels/workbook.xml.rels"] = renamed["xl/_rels/workbook.xml.rels"]!.replace("worksheets/sheet1.xml", "worksheets/data.xml");
    const before = await importCount(t.api);
    const res = await postFile(t.api, await zipped(renamed, [...HEAD, SST]), XLSX, "?dry_run=true");
    expect(res.json()).toEqual({
      code: 400,
      error: "the workbook stores its sheet 'Stock' as 'xl/worksheets/data.xml', which this reader cannot read (it reads xl/worksheets/sheetN.xml): save the workbook again with Excel or LibreOffice",
    });
    expect(await importCount(t.api)).toBe(before);
  });

  it("reports rows by their row number when the shared strings come last", async () => {
    const rows: Cell[][] = [["id", "name", "price"], ["r-1", "Fine", 1], ["r-2", "Bad price", "lots"]];
    await runFileImport(t.api, await zipped(workbookParts([["Rows", rows]], "shared"), [...HEAD, SHEET, SST]), XLSX);
    expect(await fullReport(t.api, "&status=WARNING")).toEqual([
      { entry_num: 2, status: "WARNING", message: "row 3: price: Invalid value found for field 'price' of type: 'Number': bad request" },
    ]);
  });

  it("refuses what is no workbook, damaged or too large, as a whole and stores nothing", async () => {
    const before = await importCount(t.api);
    const parts = workbookParts([["Devices", devices("refused")]], "shared");
    const { "xl/workbook.xml": _workbook, ...noWorkbook } = parts;
    const tooMany: Cell[][] = [["id"], ...Array.from({ length: 21 }, (_, i) => [`many-${i}`])];
    const broken = { ...parts, [SHEET]: `${XML}<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>` };
    // The sheet's deflated data opens with a final block of the reserved type, which no inflater reads.
    const damaged = await zipped(parts, [...HEAD, SHEET, SST]);
    const sheetName = damaged.indexOf(SHEET);
    damaged[sheetName + SHEET.length + damaged.readUInt16LE(sheetName - 2)] = 0xff;
    const refusals: Array<[Buffer, RegExp]> = [
      [await zipped(noWorkbook, []), /^the file is not a readable XLSX workbook: it has no xl\/workbook\.xml$/],
      [Buffer.from("PK\u0005\u0006 not really a zip"), /^the file is not a readable XLSX workbook: /],
      [(await zipped(parts, [...HEAD, SHEET, SST])).subarray(0, 400), /^the file is not a readable XLSX workbook: it is not a zip archive$/],
      [await zipped(workbookParts([["Many", tooMany]], "inline"), [SHEET, ...HEAD]), /^the file has more than 20 entries/],
      // A sheet cut short ends where it breaks off: here before its first row.
      [await zipped(broken, [...HEAD, SHEET, SST]), /^the file has no entries/],
      [damaged, /^the file is not a readable XLSX workbook\b.*: its member 'xl\/worksheets\/sheet1\.xml' cannot be read: /],
    ];
    for (const [body, message] of refusals) {
      const res = await postFile(t.api, body, XLSX);
      expect(res.statusCode, String(message)).toBe(400);
      expect(res.json()).toEqual({ code: 400, error: expect.stringMatching(message) });
    }
    expect(await importCount(t.api)).toBe(before);
    expect((await t.api.get("/api/v4/assets/refused-1")).statusCode).toBe(404);
    expect((await t.api.get("/api/v4/assets/many-0")).statusCode).toBe(404);
  });
});
