import { once } from "node:events";
import { PassThrough } from "node:stream";
import type { FieldDefinition } from "../../fields/field-types.js";
import { badRequest, HttpError } from "../../http/errors.js";
import { setOwn } from "../validate-entry.js";
import type { ParsedEntry } from "./parsed-entry.js";

export interface XlsxOptions {
  /** The sheet's name; the first sheet when not given. */
  sheet?: string;
  emptyValues: "ignore" | "clear";
  /** The tenant's fields: cells are typed as each column's field expects. */
  fields: ReadonlyMap<string, FieldDefinition>;
}

const NUMERIC = new Set(["Number", "Integer", "Decimal"]);

/**
 * Entries of the first (or the named) sheet of an XLSX workbook, read as a
 * stream: the first row with values names the keys, each further row with
 * values is an entry. Numbers and dates arrive as the column's field
 * expects: a date cell as `YYYY-MM-DD` for a Date field and as an RFC 3339
 * time for a DateTime field, a number as text for a text field. A cell
 * holding an error value (`#DIV/0!`) fails its row.
 */
export async function* xlsxEntries(bytes: AsyncIterable<Buffer>, options: XlsxOptions): AsyncGenerator<ParsedEntry> {
  // Loaded on first use: exceljs and its dependencies cost every process
  // about 20 MB of memory, and most never read a workbook.
  const { default: ExcelJS } = await import("exceljs");
  // exceljs pipes its input and never listens for the input's errors, so
  // the bytes go through a stream of our own: an upload that breaks off or
  // grows too large ends that stream, and its error is thrown here after.
  const input = new PassThrough();
  let inputError: unknown;
  const pumping = (async () => {
    try {
      for await (const chunk of bytes) if (!input.write(chunk)) await once(input, "drain");
    } catch (err) {
      inputError = err;
    } finally {
      input.end();
    }
  })();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { styles: "cache", sharedStrings: "cache", hyperlinks: "ignore", worksheets: "emit", entries: "ignore" });
  const sheets = reader[Symbol.asyncIterator]();
  let finished = false;
  let found = false;
  const sheetNames: string[] = [];
  // Where reading stopped, for the message if the workbook breaks off.
  let lastRow = 0;
  try {
    for (let next = await sheets.next(); !next.done; next = await sheets.next()) {
      const sheet = next.value;
      const name = (sheet as unknown as { name: string }).name;
      sheetNames.push(name);
      if (found || (options.sheet !== undefined && name !== options.sheet)) continue;
      found = true;
      let header: Array<string | null> | undefined;
      for await (const row of sheet) {
        lastRow = row.number;
        const cells = row.values as unknown[];
        if (!header) {
          header = cells.map((cell) => {
            const text = cellText(cell);
            return text === null || text.trim() === "" ? null : text;
          });
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
    }
    finished = true;
  } catch (err) {
    if (inputError !== undefined) throw inputError;
    if (err instanceof HttpError) throw err;
    const where = found ? ` after row ${lastRow} of sheet '${sheetNames.at(-1)}'` : "";
    throw badRequest(`the file is not a readable XLSX workbook${where}: ${(err as Error).message}`);
  } finally {
    // Stopped early (a refusal): read the workbook to its end regardless,
    // so that exceljs deletes the temporary files it wrote for sheets that
    // came before their shared strings.
    if (!finished) void drain(sheets).catch(() => {});
    else {
      // Whatever follows the last entry exceljs read is not needed.
      input.unpipe();
      input.resume();
      await pumping;
    }
  }
  if (inputError !== undefined) throw inputError;
  if (!found) {
    throw badRequest(options.sheet !== undefined ? `the workbook has no sheet '${options.sheet}' (it has: ${sheetNames.join(", ")})` : "the workbook has no sheet");
  }
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

async function drain(sheets: AsyncIterator<AsyncIterable<unknown>>): Promise<void> {
  for (let next = await sheets.next(); !next.done; next = await sheets.next()) for await (const _row of next.value);
}
