import type { ImportFormat, Preview } from "../api/types";

export interface ImportSource {
  /** A new number for each file or text chosen: previews and checks are per source. */
  id: number;
  blob: Blob;
  name: string;
  format: ImportFormat;
  contentType: string;
  pasted: boolean;
}

export type Delimiter = "," | ";" | "tab" | "|";
export type Charset = "utf-8" | "windows-1252";

/** How the service reads the file: detected unless the user says otherwise. */
export interface Reading {
  sheet?: string;
  delimiter?: Delimiter;
  charset?: Charset;
}

export const CONTENT_TYPES: Record<ImportFormat, string> = {
  csv: "text/csv",
  ndjson: "application/x-ndjson",
  json: "application/json",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** What the file dialog offers and the drop zone takes. */
export const ACCEPT: Record<string, string[]> = {
  "text/csv": [".csv"],
  "text/tab-separated-values": [".tsv"],
  "application/json": [".json"],
  "application/x-ndjson": [".ndjson", ".jsonl"],
  [CONTENT_TYPES.xlsx]: [".xlsx"],
};

let nextId = 1;

/** A file's format from its name, else its type; null when it is none the import reads. */
export function fileSource(file: File): ImportSource | null {
  const name = file.name.toLowerCase();
  const byName: Array<[RegExp, ImportFormat]> = [
    [/\.(csv|tsv|txt)$/, "csv"],
    [/\.(ndjson|jsonl)$/, "ndjson"],
    [/\.json$/, "json"],
    [/\.xlsx$/, "xlsx"],
  ];
  let format = byName.find(([pattern]) => pattern.test(name))?.[1] ?? null;
  if (!format) format = (Object.entries(CONTENT_TYPES).find(([, type]) => type === file.type)?.[0] as ImportFormat | undefined) ?? (file.type === "text/tab-separated-values" ? "csv" : null);
  if (!format) return null;
  const contentType = format === "csv" && (name.endsWith(".tsv") || file.type === "text/tab-separated-values") ? "text/tab-separated-values" : CONTENT_TYPES[format];
  return { id: nextId++, blob: file, name: file.name, format, contentType, pasted: false };
}

/** Pasted text: a JSON array, NDJSON lines of objects, or else CSV. */
export function detectPastedFormat(text: string): ImportFormat {
  const start = text.trimStart();
  if (start.startsWith("[")) return "json";
  if (start.startsWith("{")) return "ndjson";
  return "csv";
}

export function textSource(text: string, format: ImportFormat): ImportSource {
  const contentType = format === "csv" ? "text/csv; charset=utf-8" : CONTENT_TYPES[format];
  return { id: nextId++, blob: new Blob([text], { type: contentType }), name: `pasted ${format.toUpperCase()}`, format, contentType, pasted: true };
}

const PREVIEW_BYTES = 1024 * 1024;

/**
 * What the preview is sent: the service reads only the first rows, so a CSV
 * or NDJSON file's first MiB; a workbook (its directory is at the end) and a
 * JSON array (parsed whole) are sent whole.
 */
export function previewBody(source: ImportSource): Blob {
  return (source.format === "csv" || source.format === "ndjson") && source.blob.size > PREVIEW_BYTES ? source.blob.slice(0, PREVIEW_BYTES) : source.blob;
}

/** Reading options as query parameters, for the preview and the import. */
export function readingQuery(source: ImportSource, reading: Reading): { sheet?: string; delimiter?: Delimiter; charset?: string } {
  if (source.format === "xlsx") return reading.sheet ? { sheet: reading.sheet } : {};
  if (source.format === "csv") return { ...(reading.delimiter ? { delimiter: reading.delimiter } : {}), ...(reading.charset ? { charset: reading.charset } : {}) };
  return {};
}

/** The name the import is listed under (`source_name`): the file's, or "pasted text". */
export function sourceName(source: ImportSource): string {
  return source.pasted ? "pasted text" : source.name;
}

// Control characters other than tab, LF and CR, and U+FFFD (bytes that were no text): a binary file read as CSV.
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/;

/**
 * Why a file the service could read cannot be imported all the same (no
 * header, no entries, not text), in words; null when it can.
 */
export function unusablePreview(preview: Preview): string | null {
  const table = preview.format === "csv" || preview.format === "xlsx";
  if (preview.format === "csv" && preview.columns.some((column) => NOT_TEXT.test(column.name))) return "This does not look like a CSV text file: its first line holds characters that are not text.";
  if (preview.columns.length === 0 && preview.rows.length === 0 && !preview.more_rows) return table ? "The file has no header row: it is empty." : "The file has no entries.";
  if (preview.columns.length === 0) return table ? "The file has no header row: its first line must name the columns." : "The entries have no keys.";
  if (preview.rows.length === 0 && !preview.more_rows) return table ? "The file has a header but no entries: there is nothing to import." : "The file has no entries.";
  return null;
}
