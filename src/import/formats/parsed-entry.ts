/** One entry read from a file, with where it came from. */
export interface ParsedEntry {
  /** The entry's object (for a line that could not be read, its text). */
  entry: unknown;
  /** Its first line (CSV, NDJSON) or its row (XLSX) in the file. */
  location: number;
  /** Why the entry could not be read; it then fails. */
  problem?: string;
}

/**
 * The longest record (a CSV row, an NDJSON line) a file may hold, in
 * characters: a longer one refuses the file, instead of growing one string
 * until the process runs out of memory.
 */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;
