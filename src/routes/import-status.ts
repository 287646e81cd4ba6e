import { describeMapping } from "../import/mapping.js";
import { parseStoredOptions } from "../import/options.js";
import type { IMPORT_STATUSES } from "../schemas/imports.js";
import type { ImportRow } from "../storage/imports.js";
import { formatTime } from "../time.js";

export function toImportStatus(row: ImportRow) {
  const ended = row.ended_at !== null && row.started_at !== null;
  const running = row.status === "NOT_STARTED" || row.status === "RUNNING";
  const unprocessed = (row.status === "CANCELLED" || row.status === "FAILED") && row.discarded === 0 ? row.total_count - row.processed_count : 0;
  const { dry_run, all_or_none, unknown_fields, null_values, empty_values, decimal_separator, columns } = parseStoredOptions(row.options);
  return {
    import_id: row.id,
    resource: "assets" as const,
    status: row.status as (typeof IMPORT_STATUSES)[number],
    config: describeMapping({ idField: row.id_mapping_field, nameField: row.name_mapping_field }),
    format: row.format as "json" | "csv" | "ndjson" | "xlsx",
    options: { dry_run, all_or_none, unknown_fields, null_values, empty_values, ...(decimal_separator ? { decimal_separator } : {}), ...(columns ? { columns } : {}) },
    stats: {
      total_count: row.total_count,
      success_count: row.success_count,
      failed_count: row.failed_count,
      warning_count: row.warning_count,
      in_progress_count: running ? row.total_count - row.processed_count : 0,
      // Only where there are such entries, so that the stats of every other
      // import keep thingsHub's exact shape. They count as failed too.
      ...(unprocessed > 0 ? { unprocessed_count: unprocessed } : {}),
    },
    ...(row.created_count !== null ? { actions: { created: row.created_count, updated: row.updated_count ?? 0, unchanged: row.unchanged_count ?? 0 } } : {}),
    cancel_requested: row.cancel_requested === 1,
    created_by: row.created_by,
    ...(row.source_name !== null ? { source_name: row.source_name } : {}),
    created_at: formatTime(row.created_at),
    ...(row.started_at !== null ? { import_started_at: formatTime(row.started_at) } : {}),
    ...(ended ? { import_ended_at: formatTime(row.ended_at!), import_duration: `${(row.ended_at! - row.started_at!) / 1000}s` } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
  };
}
