import { once } from "node:events";
import { PassThrough } from "node:stream";
import type { FieldDefinition } from "../fields/field-types.js";
import { cellText, exportColumns, guardFormula, valueOf } from "./cells.js";
import type { ExportEntry, ExportOptions } from "./export-types.js";

type Cell = string | number | boolean | undefined;

/**
 * One sheet named `assets`: a header row, then a row per entry. Numbers are
 * number cells and Checkbox values boolean cells; everything else, dates
 * included, is a text cell holding the stored string, which the import
 * (src/import/formats/xlsx-entries.ts) reads back as it is. Written with
 * exceljs's streaming writer, without shared strings (they would hold
 * every distinct text of the export in memory until the end).
 *
 * Losses besides "" and [] (see cells.ts): the characters XML 1.0 cannot
 * hold (U+0001-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE, U+FFFF, and
 * U+007F, which exceljs drops too) are left out; exceljs writes CR as is,
 * which XML reads as LF, so "a\r\nb" comes back as "a\nb"; and its reader
 * decodes entities once too often, so text holding a literal "&amp;" (or
 * &lt; &gt; &quot; &apos;) imports back as "&" (Excel shows the text as
 * written). Excel also opens at most 1,048,576 rows and 32,767 characters
 * a cell.
 */
export async function* xlsxExport(fields: readonly FieldDefinition[], chunks: AsyncIterable<ExportEntry[]>, options: ExportOptions): AsyncGenerator<Buffer> {
  // Loaded on first use, as the import does: exceljs costs about 20 MB.
  const { default: ExcelJS } = await import("exceljs");
  const output = new PassThrough();
  // The zip's bytes are collected as they come, and handed on between
  // chunks; the generator waits for its consumer at each yield, so this
  // holds about one chunk's worth.
  const ready: Buffer[] = [];
  output.on("data", (piece: Buffer) => ready.push(piece));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet("assets");
  const columns = exportColumns(fields);
  const protect = options.formulaProtection;
  try {
    sheet.addRow(columns.map((name) => cell(name, protect))).commit();
    const compressing = compressorInput(sheet);
    for await (const chunk of chunks) {
      for (const entry of chunk) sheet.addRow(columns.map((key) => cell(valueOf(entry, key), protect))).commit();
      // exceljs ignores back-pressure: rows it has written wait, uncompressed,
      // in the zip's input. Let the zip catch up before the next chunk.
      if (compressing._writableState.needDrain) await once(compressing, "drain");
      if (ready.length > 0) yield Buffer.concat(ready.splice(0));
    }
    sheet.commit();
    await workbook.commit();
    if (!output.readableEnded) await once(output, "end");
    if (ready.length > 0) yield Buffer.concat(ready.splice(0));
  } finally {
    output.destroy();
  }
}

/**
 * Characters XML 1.0 cannot hold. exceljs drops the C0 ones (and DEL) itself
 * but writes U+FFFE and U+FFFF as they are, which makes the whole workbook
 * unreadable; all are dropped here, in one visible place.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g;

/** A number or boolean stays typed; anything else is text, as for CSV. */
function cell(value: unknown, protect: boolean): Cell {
  if (typeof value === "number" || typeof value === "boolean") return value;
  // Guarded after the characters XML cannot hold are dropped, so that
  // "\u0001=x" is written as "'=x", not as an unguarded "=x".
  const text = xmlText(cellText(value, false));
  return text !== undefined && protect ? guardFormula(text) : text;
}

function xmlText(text: string | undefined): string | undefined {
  NOT_XML.lastIndex = 0;
  if (text === undefined || !NOT_XML.test(text)) return text;
  const kept = text.replace(NOT_XML, "");
  return kept === "" ? undefined : kept;
}

/** A writable stream as Node's and archiver's (readable-stream 2) both are. */
interface Backlog extends NodeJS.EventEmitter {
  _writableState: { needDrain: boolean };
}

/**
 * The stream that feeds the sheet's XML to the zip compressor. Not public
 * API (exceljs is pinned to 4.4): the sheet writes into a buffer of its own
 * (`stream`), which archiver pipes into a readable-stream 2 PassThrough
 * (`pipes[0]`), whose `needDrain` says that the compressor is behind.
 * Refusing loudly if that changes keeps an upgrade from silently dropping
 * the memory bound.
 */
function compressorInput(sheet: unknown): Backlog {
  const input = (sheet as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as Partial<Backlog> | undefined;
  if (typeof input?._writableState?.needDrain !== "boolean" || typeof input.once !== "function") {
    throw new Error("exceljs internals changed: the worksheet's stream is not piped into a writable stream");
  }
  return input as Backlog;
}
