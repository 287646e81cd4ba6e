import type { ParsedEntry } from "./parsed-entry.js";

/**
 * Entries of an NDJSON file: one JSON object per line; blank lines are
 * skipped. A line that is not a JSON object fails on its own, with its text
 * kept as the entry for the failed-entry download.
 */
export async function* ndjsonEntries(text: AsyncIterable<string>): AsyncGenerator<ParsedEntry> {
  let pending = "";
  let line = 0;
  for await (const chunk of text) {
    pending += chunk;
    let start = 0;
    for (let end = pending.indexOf("\n"); end !== -1; end = pending.indexOf("\n", start)) {
      line++;
      const parsed = parseLine(pending.slice(start, end), line);
      if (parsed) yield parsed;
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  if (pending.length > 0) {
    const parsed = parseLine(pending, line + 1);
    if (parsed) yield parsed;
  }
}

function parseLine(raw: string, location: number): ParsedEntry | undefined {
  const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (text.trim() === "") return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch (err) {
    return { entry: text, location, problem: `not valid JSON: ${(err as Error).message}` };
  }
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return { entry, location, problem: "not a JSON object" };
  return { entry, location };
}
