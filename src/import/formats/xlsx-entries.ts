import type { EventEmitter } from "node:events";
import type { FieldDefinition } from "../../fields/field-types.js";
import { badRequest, HttpError } from "../../http/errors.js";
import { setOwn } from "../validate-entry.js";
import type { ParsedEntry } from "./parsed-entry.js";
import { openZip, readMember, spoolToTempFile, zipStream, ZipFormatError, type SpooledFile, type StoredPart, type ZipStream } from "./zip-archive.js";

export interface XlsxOptions {
  /** The sheet's name; the first sheet when not given. */
  sheet?: string;
  emptyValues: "ignore" | "clear";
  /** The tenant's fields: cells are typed as each column's field expects. */
  fields: ReadonlyMap<string, FieldDefinition>;
  /** Called with the header's column names once it is read; it may refuse the file by throwing. */
  onHeader?: (columns: string[]) => void;
  /** Called with the workbook's sheets, in the order of its tabs, before any is read. */
  onSheets?: (names: string[]) => void;
}

const NUMERIC = new Set(["Number", "Integer", "Decimal"]);

// The parts exceljs reads, under the only paths it reads them from.
const WORKBOOK_RELS = "xl/_rels/workbook.xml.rels";
const WORKBOOK = "xl/workbook.xml";
const SHARED_STRINGS = "xl/sharedStrings.xml";
const STYLES = "xl/styles.xml";
const WORKSHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;
// A workbook's relationships take about 200 bytes a sheet.
const MAX_RELS_BYTES = 4 * 1024 * 1024;
// A workbook of inline strings has no shared strings part; given an empty
// one, exceljs reads its sheets as they stream instead of spooling them.
const NO_SHARED_STRINGS: StoredPart = {
  name: SHARED_STRINGS,
  content: Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>'),
};

/**
 * Entries of the first (or the named) sheet of an XLSX workbook: the first
 * row with values names the keys, each further row with values is an entry.
 * Numbers and dates arrive as the column's field expects: a date cell as
 * `YYYY-MM-DD` for a Date field and as an RFC 3339 time for a DateTime
 * field, a number as text for a text field. A cell holding an error value
 * (`#DIV/0!`) fails its row.
 *
 * The upload is written to a temporary file first and read through its zip
 * directory. exceljs reads a zip front to back and needs the workbook, its
 * relationships, shared strings and styles before a sheet; zip writers put
 * the parts in any order (Excel puts the sheets first). So it is handed
 * those parts first, then the sheets, and nothing else.
 */
export async function* xlsxEntries(bytes: AsyncIterable<Buffer>, options: XlsxOptions): AsyncGenerator<ParsedEntry> {
  // Loaded on first use: exceljs and its dependencies cost every process
  // about 20 MB of memory, and most never read a workbook.
  const { default: ExcelJS } = await import("exceljs");
  // An upload that breaks off or grows too large throws here, as it is.
  const file = await spoolToTempFile(bytes);
  try {
    const { feed, sheetCount } = await workbookStream(file, options.sheet === undefined, options.onSheets);
    let sheetsTaken = 0;
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(feed.stream, { styles: "cache", sharedStrings: "cache", hyperlinks: "ignore", worksheets: "emit", entries: "emit" });
    (reader as unknown as EventEmitter).on("entry", (entry: { type: string }) => {
      if (entry.type === "worksheet" && ++sheetsTaken === sheetCount) feed.end();
    });
    const sheets = reader[Symbol.asyncIterator]();
    let found = false;
    const sheetNames: string[] = [];
    // Where reading stopped, for the message if the workbook breaks off.
    let lastRow = 0;
    try {
      for (let next = await sheets.next(); !next.done; next = await sheets.next()) {
        const sheet = next.value;
        const name = (sheet as unknown as { name: string }).name;
        sheetNames.push(name);
        if (options.sheet !== undefined && name !== options.sheet) continue;
        found = true;
        let header: Array<string | null> | undefined;
        for await (const row of sheet) {
          // A member that cannot be read ends where it breaks off: the workbook is refused, not read in part.
          if (feed.failure) throw feed.failure;
          lastRow = row.number;
          const cells = row.values as unknown[];
          if (!header) {
            header = cells.map((cell) => {
              const text = cellText(cell);
              return text === null || text.trim() === "" ? null : text;
            });
            options.onHeader?.(header.filter((key) => key !== null));
            continue;
          }
          const entry: Record<string, unknown> = {};
          let problem: string | undefined;
          header.forEach((key, column) => {
            if (key === null) return;
            const cell = unwrap(cells[column]);
            if (isError(cell)) {
              problem ??= `cell ${columnName(column)}${row.number} holds an error value${cell.error ? ` (${cell.error})` : ""}`;
              return;
            }
            const value = typed(cell, options.fields.get(key));
            if (value !== null && value !== "") setOwn(entry, key, value);
            else if (options.emptyValues === "clear") setOwn(entry, key, null);
          });
          if (Object.keys(entry).length === 0 && problem === undefined) continue;
          yield { entry, location: row.number, ...(problem !== undefined ? { problem } : {}) };
        }
        // The sheets after it are not needed.
        break;
      }
      if (feed.failure) throw feed.failure;
    } catch (err) {
      if (err instanceof HttpError) throw err;
      // The spooled file failing to read is the server's fault, not the upload's.
      if (feed.failure && !(feed.failure instanceof ZipFormatError)) throw feed.failure;
      const where = found ? ` after row ${lastRow} of sheet '${sheetNames.at(-1)}'` : "";
      throw badRequest(`the file is not a readable XLSX workbook${where}: ${(feed.failure ?? (err as Error)).message}`);
    } finally {
      // exceljs stops where it is, and the archive is read no more.
      await sheets.return(undefined);
      feed.destroy();
    }
    if (!found) {
      throw badRequest(options.sheet !== undefined ? `the workbook has no sheet '${options.sheet}' (it has: ${sheetNames.join(", ")})` : "the workbook has no sheet");
    }
  } finally {
    await file.close();
  }
}

/** The parts exceljs needs, zipped in the order it needs them; the first sheet only, unless a sheet is named. */
async function workbookStream(file: SpooledFile, firstSheetOnly: boolean, onSheets?: (names: string[]) => void): Promise<{ feed: ZipStream; sheetCount: number }> {
  try {
    const archive = await openZip(file);
    const { members } = archive;
    const missing = [WORKBOOK, WORKBOOK_RELS].filter((name) => !members.has(name));
    if (missing.length > 0) throw new ZipFormatError(`it has no ${missing.join(" and no ")}`);
    const rels = await readMember(archive, members.get(WORKBOOK_RELS)!, MAX_RELS_BYTES);
    const workbook = await readMember(archive, members.get(WORKBOOK)!, MAX_RELS_BYTES);
    // In the order of the tabs, as the workbook lists them (writers store the parts in any order).
    const listed = sheetParts(workbook, rels);
    onSheets?.(listed.map(({ name }) => name));
    const sheets = listed.map(({ name, part }) => {
      const member = members.get(part);
      if (!member) throw new ZipFormatError(`its sheet '${name}' names a part it does not hold ('${part}')`);
      // exceljs reads sheets only by this name: any other would be left out without a word, and another sheet read instead.
      if (!WORKSHEET.test(part)) throw badRequest(`the workbook stores its sheet '${name}' as '${part}', which this reader cannot read (it reads xl/worksheets/sheetN.xml): save the workbook again with Excel or LibreOffice`);
      return member;
    });
    if (sheets.length === 0) throw badRequest("the workbook has no sheet");
    const taken = firstSheetOnly ? sheets.slice(0, 1) : sheets;
    const styles = members.get(STYLES);
    const parts = [{ name: WORKBOOK_RELS, content: relativeTargets(rels) }, members.get(WORKBOOK)!, members.get(SHARED_STRINGS) ?? NO_SHARED_STRINGS, ...(styles ? [styles] : []), ...taken];
    return { feed: zipStream(archive, parts), sheetCount: taken.length };
  } catch (err) {
    if (err instanceof ZipFormatError) throw badRequest(`the file is not a readable XLSX workbook: ${err.message}`);
    throw err;
  }
}

/** The workbook's sheets, in the order of its tabs, each with the part that holds it. */
function sheetParts(workbook: Buffer, rels: Buffer): Array<{ name: string; part: string }> {
  const attributes = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w:]+)\s*=\s*(["'])(.*?)\2/g)].map((m) => [m[1]!, m[3]!]));
  const targets = new Map<string, string>();
  for (const [tag] of rels.toString("utf8").matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const { Id: id, Target: target } = attributes(tag);
    if (id !== undefined && target !== undefined) targets.set(id, target.startsWith("/") ? target.slice(1) : `xl/${target.replace(/^(?:\.\/)+/, "")}`);
  }
  return [...workbook.toString("utf8").matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)].map(([tag]) => {
    const found = attributes(tag);
    // The relationship's attribute is r:id, whatever prefix the writer gave its namespace.
    const id = Object.entries(found).find(([key]) => /:id$/.test(key))?.[1];
    const name = decodeXml(found.name ?? "");
    const part = id === undefined ? undefined : targets.get(id);
    if (part === undefined) throw new ZipFormatError(`its sheet '${name}' has no part`);
    return { name, part };
  });
}

const decodeXml = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_all, entity: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[entity]!);

/**
 * The relationships with every target relative to xl/, the form exceljs
 * matches sheets to their names by: openpyxl, for one, writes them from the
 * package root (`/xl/worksheets/sheet1.xml`), which is as valid.
 */
function relativeTargets(rels: Buffer): Buffer {
  const xml = rels.toString("utf8");
  const relative = xml.replace(/(\bTarget\s*=\s*)(["'])(.*?)\2/g, (_all, before: string, quote: string, target: string) => {
    const path = target.startsWith("/xl/") ? target.slice("/xl/".length) : target.replace(/^(?:\.\/)+/, "");
    return `${before}${quote}${path}${quote}`;
  });
  return relative === xml ? rels : Buffer.from(relative, "utf8");
}

type CellValue = string | number | boolean | Date | null;

/** Formulas give their result; rich text and hyperlinks their text. */
function unwrap(cell: unknown): CellValue | { error: string } {
  if (cell === undefined || cell === null) return null;
  // A formula whose result is an error reads back as NaN.
  if (typeof cell === "number" && !Number.isFinite(cell)) return { error: "" };
  if (typeof cell !== "object" || cell instanceof Date) return cell as CellValue;
  const c = cell as { result?: unknown; richText?: Array<{ text: string }>; text?: unknown; error?: string };
  if (c.error !== undefined) return { error: c.error };
  if ("formula" in c || "sharedFormula" in c) return unwrap(c.result);
  if (c.richText) return c.richText.map((r) => r.text).join("");
  if (c.text !== undefined) return unwrap(c.text);
  return null;
}

function isError(cell: unknown): cell is { error: string } {
  return typeof cell === "object" && cell !== null && !(cell instanceof Date);
}

function cellText(cell: unknown): string | null {
  const value = unwrap(cell);
  if (value === null || isError(value)) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

function typed(cell: CellValue, field: FieldDefinition | undefined): CellValue {
  if (cell instanceof Date) {
    // Excel keeps wall-clock times; exceljs hands them over as UTC.
    const iso = cell.toISOString();
    if (field?.type === "DateTime") return iso;
    const midnight = iso.endsWith("T00:00:00.000Z");
    return field?.type === "Date" || midnight ? iso.slice(0, 10) : iso;
  }
  if (field === undefined) return cell;
  if (typeof cell === "number" && !NUMERIC.has(field.type)) return String(cell);
  if (typeof cell === "boolean" && field.type !== "Checkbox") return String(cell);
  return cell;
}

/** A column number (exceljs row values start at 1) as its letters: 1 -> A, 27 -> AA. */
function columnName(index: number): string {
  let name = "";
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
