import type { ImportStatus } from "../api/types";

const counts = new Intl.NumberFormat("en");

export function formatCount(value: number | undefined | null): string {
  return value === undefined || value === null ? "–" : counts.format(value);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatTime(iso: string | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : "–";
}

/** "1.144s" as the API gives it, shown as "1.1 s" or "2 min 5 s". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "–";
  if (seconds < 1) return `${Math.max(1, Math.round(seconds * 1000))} ms`;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function importSeconds(status: ImportStatus): number | null {
  if (status.import_duration) {
    const parsed = Number.parseFloat(status.import_duration);
    if (Number.isFinite(parsed)) return parsed;
  }
  return null;
}

/**
 * Entries that failed, without those a cancelled or failed import never
 * reached: the service counts those in failed_count too, and unprocessed_count alone.
 */
export function failedCount(stats: ImportStatus["stats"]): number {
  return stats.failed_count - (stats.unprocessed_count ?? 0);
}

export function createdBy(status: ImportStatus): string {
  return status.created_by || "–";
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

export const FORMAT_LABELS: Record<ImportStatus["format"], string> = { csv: "CSV", json: "JSON", ndjson: "NDJSON", xlsx: "XLSX" };
