import { randomBytes } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell } from "../../src/export/csv-export.js";
import { EXPORT_MEDIA_TYPES, serialiseExport, type ExportEntry, type ExportFormat } from "../../src/export/serialise.js";
import { coerceValue, isStorableText, type StoredValue } from "../../src/fields/coerce.js";
import type { FieldDefinition } from "../../src/fields/field-types.js";
import { jsonText } from "../../src/http/json-body.js";
import { csvEntries } from "../../src/import/formats/csv-entries.js";
import { decodeText } from "../../src/import/formats/decode-text.js";
import { ndjsonEntries } from "../../src/import/formats/ndjson-entries.js";
import type { ParsedEntry } from "../../src/import/formats/parsed-entry.js";
import { xlsxEntries } from "../../src/import/formats/xlsx-entries.js";
import { isValidName, setOwn, validateEntry } from "../../src/import/validate-entry.js";
import { fieldDefinitions, storedEntries, text } from "./stored-entries.js";

const NO_PROTECTION = { formulaProtection: false };
const PROTECTED = { formulaProtection: true };

/** Entries in chunks of `size`, an empty chunk first (a page can be empty). */
async function* chunked(entries: readonly ExportEntry[], size = 2): AsyncGenerator<ExportEntry[]> {
  yield [];
  for (let i = 0; i < entries.length; i += size) yield entries.slice(i, i + size);
}

async function exported(format: ExportFormat, fields: readonly FieldDefinition[], entries: readonly ExportEntry[], options = NO_PROTECTION, size = 2): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of serialiseExport(format, fields, chunked(entries, size), options)) pieces.push(piece);
  return Buffer.concat(pieces);
}

/** The whole workbook, with exceljs's non-streaming reader (a second opinion on the file). */
async function loadWorkbook(bytes: Buffer) {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  // exceljs's types predate Buffer's generic parameter.
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook;
}

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

async function parsed(source: AsyncIterable<ParsedEntry>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const { entry, problem } of source) {
    expect(problem).toBeUndefined();
    out.push(entry);
  }
  return out;
}

/** The export read back as the import route reads each format (src/routes/import-start.ts). */
function readBack(format: ExportFormat, bytes: Buffer, fields: readonly FieldDefinition[]): Promise<unknown[]> {
  switch (format) {
    case "json":
      return Promise.resolve(JSON.parse(jsonText(bytes)) as unknown[]);
    case "ndjson":
      return parsed(ndjsonEntries(decodeText(once(bytes), "utf-8", false)));
    case "csv":
      // No delimiter and no charset given: both detected, as for an upload without them.
      return parsed(csvEntries(decodeText(once(bytes), undefined, true), { emptyValues: "ignore" }));
    case "xlsx":
      return parsed(xlsxEntries(once(bytes), { emptyValues: "ignore", fields: new Map(fields.map((f) => [f.name, f])) }));
  }
}

/** What the import makes of an entry: its ID, name and values, through validateEntry and coerceValue. */
function imported(entry: unknown, fields: readonly FieldDefinition[]) {
  const outcome = validateEntry(entry as Record<string, unknown>, { idField: null, nameField: null }, new Map(fields.map((f) => [f.name, f])), {
    unknown_fields: "reject",
    null_values: "clear",
  });
  return { id: outcome.id, name: outcome.name, values: outcome.patch, warnings: outcome.warnings, failure: outcome.failure };
}

// The documented losses, as a model of what each format gives back.
// CSV and XLSX: "" and [] are an empty cell, which means "no value".
// XLSX also: characters XML 1.0 cannot hold are dropped, CR reads as LF,
// and exceljs's reader decodes &amp; &lt; &gt; &quot; &apos; once more.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g;
const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&apos;": "'", "&quot;": '"' };
const xlsxText = (s: string) =>
  s
    .replace(NOT_XML, "")
    .replace(/\r\n?/g, "\n")
    .replace(/&([a-z]*);/g, (m) => ENTITIES[m] ?? m);

/** The value the import should store for a stored value, or undefined for none; `false` when the model cannot say (the case is skipped). */
function expectedValue(format: ExportFormat, field: FieldDefinition, value: StoredValue): StoredValue | undefined | false {
  if (format === "json" || format === "ndjson") return value;
  if (value === "" || (Array.isArray(value) && value.length === 0)) return undefined;
  if (format === "csv" || typeof value === "number" || typeof value === "boolean") return value;
  const cell = xlsxText(Array.isArray(value) ? value.join(",") : value);
  if (cell === "") return undefined;
  const coerced = coerceValue(field, cell);
  // A Select, URL or Email changed by the loss is not worth modelling.
  return coerced.ok && (Array.isArray(value) || field.type === "SingleLineText" || field.type === "MultiLineText" || coerced.value === value) ? coerced.value : false;
}

async function roundTrip(format: ExportFormat, fields: FieldDefinition[], entries: ExportEntry[], size: number): Promise<void> {
  if (format === "xlsx") {
    // A field name exceljs would read back changed (a literal "&amp;") is not modelled.
    fc.pre(fields.every((f) => xlsxText(f.name) === f.name));
    fc.pre(entries.every((e) => isValidName(xlsxText(e.name as string))));
  }
  const expected = entries.map((entry) => {
    const values: Record<string, StoredValue> = {};
    for (const field of fields) {
      if (!Object.hasOwn(entry, field.name)) continue;
      const value = expectedValue(format, field, entry[field.name] as StoredValue);
      fc.pre(value !== false);
      if (value !== undefined) setOwn(values, field.name, value);
    }
    const name = format === "xlsx" ? xlsxText(entry.name as string) : entry.name;
    return { id: entry.id, name, values, warnings: [], failure: undefined };
  });
  const bytes = await exported(format, fields, entries, NO_PROTECTION, size);
  const read = await readBack(format, bytes, fields);
  expect(read.map((entry) => imported(entry, fields))).toEqual(expected);
}

describe("export round trip: the import reads back what the export wrote", () => {
  const cases: Array<[ExportFormat, number]> = [
    ["json", 100],
    ["ndjson", 100],
    ["csv", 100],
    ["xlsx", 15],
  ];
  it.each(cases)("%s", async (format, numRuns) => {
    await fc.assert(
      fc.asyncProperty(
        fieldDefinitions(6).chain((fields) => fc.tuple(fc.constant(fields), storedEntries(fields, 6), fc.integer({ min: 1, max: 4 }))),
        ([fields, entries, size]) => roundTrip(format, fields, entries, size),
      ),
      { numRuns },
    );
  });
});

describe("CSV", () => {
  it("quotes cells as csv-stringify does (RFC 4180)", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.option(text(10), { nil: undefined }), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (rows) => {
        const ours = rows.map((row) => `${row.map(csvCell).join(",")}\r\n`).join("");
        expect(ours).toBe(stringify(rows, { record_delimiter: "windows", quote_record_delimiter: true }));
      }),
    );
  });

  it("writes a header of every field, quoted where a name needs it", async () => {
    const fields: FieldDefinition[] = [
      { name: "a,b", type: "SingleLineText" },
      { name: 'say "hi"', type: "SingleLineText" },
      { name: "two  spaces", type: "Number" },
      { name: "=SUM(A1)", type: "Checkbox" },
    ];
    const bytes = await exported("csv", fields, [{ id: "a1", name: "One", "two  spaces": 2 }]);
    expect(bytes.toString()).toBe('id,name,description,tags,category,status,site_id,"a,b","say ""hi""",two  spaces,=SUM(A1)\r\na1,One,,,,,,,,2,\r\n');
    expect((await exported("csv", fields, [], PROTECTED)).toString()).toBe(`id,name,description,tags,category,status,site_id,"a,b","say ""hi""",two  spaces,'=SUM(A1)\r\n`);
  });

  it("adds empty columns when field names hold more ';' than the header holds ','", async () => {
    // The header holds 7 commas; this name 10 semicolons.
    const name = "a;b;c;d;e;f;g;h;i;j;k";
    const fields: FieldDefinition[] = [{ name, type: "SingleLineText" }];
    const bytes = await exported("csv", fields, [{ id: "a1", name: "One", [name]: "B;2" }]);
    expect(bytes.toString()).toBe(`id,name,description,tags,category,status,site_id,${name},,,\r\na1,One,,,,,,B;2,,,\r\n`);
    expect(await readBack("csv", bytes, fields)).toEqual([{ id: "a1", name: "One", [name]: "B;2" }]);
  });
});

describe("formula protection", () => {
  const fields: FieldDefinition[] = [
    { name: "formula", type: "SingleLineText" },
    { name: "text", type: "SingleLineText" },
    { name: "number", type: "Number" },
    { name: "at", type: "SingleLineText" },
    { name: "tab", type: "SingleLineText" },
  ];
  const entry = { id: "a1", name: "+One", formula: "=SUM(A1)", text: "-5", number: -5, at: "@x", tab: "\tx", tags: ["-low", "high"] };

  it("is off unless asked for: values are written as they are", async () => {
    expect((await exported("csv", fields, [entry])).toString()).toBe("id,name,description,tags,category,status,site_id,formula,text,number,at,tab\r\na1,+One,,\"-low,high\",,,,=SUM(A1),-5,-5,@x,\tx\r\n");
  });

  it("puts ' before text that starts with = + - @ tab or CR, not before a number", async () => {
    expect((await exported("csv", fields, [entry], PROTECTED)).toString()).toBe("id,name,description,tags,category,status,site_id,formula,text,number,at,tab\r\na1,'+One,,\"'-low,high\",,,,'=SUM(A1),'-5,-5,'@x,'\tx\r\n");
  });

  it("does the same to XLSX text cells, and keeps numbers as number cells", async () => {
    const read = async (options: { formulaProtection: boolean }) => {
      const more: FieldDefinition[] = [{ name: "=cmd", type: "Checkbox" }, { name: "hidden", type: "SingleLineText" }];
      const workbook = await loadWorkbook(await exported("xlsx", [...fields, ...more], [{ ...entry, "=cmd": true, hidden: "\u0001=x" }], options));
      const sheet = workbook.getWorksheet("assets")!;
      return [sheet.getRow(1).values, sheet.getRow(2).values].map((values) => (values as unknown[]).slice(1));
    };
    expect(await read(NO_PROTECTION)).toEqual([
      ["id", "name", "description", "tags", "category", "status", "site_id", "formula", "text", "number", "at", "tab", "=cmd", "hidden"],
      ["a1", "+One", undefined, "-low,high", undefined, undefined, undefined, "=SUM(A1)", "-5", -5, "@x", "\tx", true, "=x"],
    ]);
    // A control character XML cannot hold is dropped first, so it hides no formula.
    expect(await read(PROTECTED)).toEqual([
      ["id", "name", "description", "tags", "category", "status", "site_id", "formula", "text", "number", "at", "tab", "'=cmd", "hidden"],
      ["a1", "'+One", undefined, "'-low,high", undefined, undefined, undefined, "'=SUM(A1)", "'-5", -5, "'@x", "'\tx", true, "'=x"],
    ]);
  });
});

describe("an empty export", () => {
  const fields: FieldDefinition[] = [{ name: "serial", type: "SingleLineText" }];

  it("is [] in JSON, nothing in NDJSON, the header in CSV", async () => {
    expect((await exported("json", fields, [])).toString()).toBe("[]\n");
    expect((await exported("ndjson", fields, [])).toString()).toBe("");
    expect((await exported("csv", fields, [])).toString()).toBe("id,name,description,tags,category,status,site_id,serial\r\n");
  });

  it("is a workbook with a header row in XLSX", async () => {
    const bytes = await exported("xlsx", fields, []);
    const workbook = await loadWorkbook(bytes);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["assets"]);
    const sheet = workbook.getWorksheet("assets")!;
    expect(sheet.rowCount).toBe(1);
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(["id", "name", "description", "tags", "category", "status", "site_id", "serial"]);
    expect(await readBack("xlsx", bytes, fields)).toEqual([]);
  });
});

describe("streaming", () => {
  it("writes JSON as an array, one entry a line", async () => {
    const bytes = await exported("json", [], [{ id: "a", name: "A" }, { id: "b", name: "B" }, { id: "c", name: "C" }]);
    expect(bytes.toString()).toBe('[\n{"id":"a","name":"A"},\n{"id":"b","name":"B"},\n{"id":"c","name":"C"}\n]\n');
  });

  it.each(["json", "ndjson", "csv", "xlsx"] as const)("%s: reads the next chunk only when asked for more, and stops the source when stopped", async (format) => {
    let pulled = 0;
    let stopped = false;
    async function* source(): AsyncGenerator<ExportEntry[]> {
      try {
        for (let i = 0; i < 100; i++) {
          pulled++;
          // Text that does not compress away, so that a workbook has bytes to hand on early.
          yield Array.from({ length: 10 }, (_, j) => ({ id: `a${i}-${j}`, name: randomBytes(1000).toString("hex") }));
        }
      } finally {
        stopped = true;
      }
    }
    const output = serialiseExport(format, [], source(), NO_PROTECTION);
    for (let read = 0; read < 3; read++) await output.next();
    // A workbook's first bytes come once the zip has compressed some rows: it reads a few chunks ahead.
    expect(pulled).toBeLessThanOrEqual(format === "xlsx" ? 30 : 3);
    await output.return(undefined);
    expect(stopped).toBe(true);
  });

  it("names a media type for every format", () => {
    expect(EXPORT_MEDIA_TYPES).toEqual({
      json: "application/json",
      ndjson: "application/x-ndjson",
      csv: "text/csv; charset=utf-8",
      xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    });
  });
});

// Keeps the generators honest: they must produce the awkward cases the round trip is about.
describe("the generators", () => {
  it("produce text every format has to escape", () => {
    const samples = fc.sample(text(20), 2000).filter(isStorableText);
    for (const needle of ['"', ",", "\r", "\n", "&amp;", "\u0001"]) expect(samples.some((s) => s.includes(needle))).toBe(true);
  });
});
