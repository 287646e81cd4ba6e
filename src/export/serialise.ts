import type { FieldDefinition } from "../fields/field-types.js";
import { csvExport } from "./csv-export.js";
import type { ExportEntry, ExportFormat, ExportOptions } from "./export-types.js";
import { jsonExport, ndjsonExport } from "./json-export.js";
import { xlsxExport } from "./xlsx-export.js";

export type { ExportEntry, ExportFormat, ExportOptions };
export { exportColumns } from "./cells.js";

export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  json: "application/json",
  ndjson: "application/x-ndjson",
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/**
 * Streams an export as bytes, one piece per chunk of entries (plus header
 * and trailer), reading the next chunk only when the consumer asks for more
 * bytes: memory stays bounded by a chunk whatever the export's size.
 * `chunks` yields the entries a page at a time; `fields` are the tenant's
 * custom fields (they name the CSV and XLSX columns, so the header is the
 * same whatever the entries hold). An error from `chunks` is thrown from
 * the iteration; stopping the iteration early returns `chunks` too.
 *
 * To send it: `reply.type(EXPORT_MEDIA_TYPES[format]).send(Readable.from(serialiseExport(...), { objectMode: false }))`.
 */
export function serialiseExport(
  format: ExportFormat,
  fields: readonly FieldDefinition[],
  chunks: AsyncIterable<ExportEntry[]>,
  options: ExportOptions,
): AsyncGenerator<Buffer> {
  switch (format) {
    case "json":
      return jsonExport(chunks);
    case "ndjson":
      return ndjsonExport(chunks);
    case "csv":
      return csvExport(fields, chunks, options);
    case "xlsx":
      return xlsxExport(fields, chunks, options);
  }
}
