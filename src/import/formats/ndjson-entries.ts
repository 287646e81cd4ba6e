import { badRequest } from "../../http/errors.js";
import { jsonLimitProblem, type JsonLimits } from "../../http/json-limits.js";
import { MAX_RECORD_CHARS, type ParsedEntry } from "./parsed-entry.js";

/**
 * Entries of an NDJSON file: one JSON object per line; blank lines are
 * skipped. A line that is not a JSON object fails on its own, with its text
 * kept as the entry for the failed-entry download; so does one beyond the
 * JSON limits (nesting, keys, string length) that every JSON body has.
 */
export async function* ndjsonEntries(text: AsyncIterable<string>, limits?: JsonLimits): AsyncGenerator<ParsedEntry> {
  // The text of the current line so far, in pieces: a long line is joined
  // once, not copied again with every chunk.
  let pieces: string[] = [];
  let pendingLength = 0;
  let line = 0;
  for await (const chunk of text) {
    let start = 0;
    for (let end = chunk.indexOf("\n"); end !== -1; end = chunk.indexOf("\n", start)) {
      line++;
      const raw = pieces.length === 0 ? chunk.slice(start, end) : pieces.join("") + chunk.slice(start, end);
      pieces = [];
      pendingLength = 0;
      const parsed = parseLine(raw, line, limits);
      if (parsed) yield parsed;
      start = end + 1;
    }
    if (start < chunk.length) {
      pieces.push(chunk.slice(start));
      pendingLength += chunk.length - start;
      if (pendingLength > MAX_RECORD_CHARS) throw badRequest(`line ${line + 1}: the line is longer than ${MAX_RECORD_CHARS} characters`);
    }
  }
  const pending = pieces.join("");
  if (pending.length > 0) {
    const parsed = parseLine(pending, line + 1, limits);
    if (parsed) yield parsed;
  }
}

function parseLine(raw: string, location: number, limits: JsonLimits | undefined): ParsedEntry | undefined {
  const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (text.trim() === "") return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch (err) {
    return { entry: text, location, problem: `not valid JSON: ${(err as Error).message}` };
  }
  const beyond = limits && jsonLimitProblem(entry, limits);
  // The text is kept rather than the value: a value nested this deep is
  // what the limits keep away from recursive code such as JSON.stringify.
  if (beyond) return { entry: text, location, problem: beyond };
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return { entry, location, problem: "not a JSON object" };
  return { entry, location };
}
