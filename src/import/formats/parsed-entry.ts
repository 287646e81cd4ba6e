/** One entry read from a file, with where it came from. */
export interface ParsedEntry {
  /** The entry's object (for a line that could not be read, its text). */
  entry: unknown;
  /** Its first line (CSV, NDJSON) or its row (XLSX) in the file. */
  location: number;
  /** Why the entry could not be read; it then fails. */
  problem?: string;
}
