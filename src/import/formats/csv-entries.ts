import { CsvError, parse } from "csv-parse";
import { badRequest } from "../../http/errors.js";
import { setOwn } from "../validate-entry.js";
import { MAX_RECORD_CHARS, type ParsedEntry } from "./parsed-entry.js";

export const DELIMITERS = { ",": ",", ";": ";", tab: "\t", "|": "|" } as const;
export type DelimiterName = keyof typeof DELIMITERS;

export interface CsvOptions {
  /** Detected from the header line when not given. */
  delimiter?: DelimiterName;
  /** `clear`: an empty cell clears its field; else the key is left out. */
  emptyValues: "ignore" | "clear";
  /** Called with the header's column names and the delimiter once the header is read; it may refuse the file by throwing. */
  onHeader?: (columns: string[], delimiter: DelimiterName) => void;
}

/**
 * Entries of an RFC 4180 CSV file: the header row names the keys, each
 * further row is an entry. Quoted fields may hold delimiters, quotes and
 * newlines. A row whose cell count differs from the header's fails on its
 * own; a file the parser cannot read (an unclosed quote) is refused whole.
 */
export async function* csvEntries(text: AsyncIterable<string>, options: CsvOptions): AsyncGenerator<ParsedEntry> {
  const chunks = text[Symbol.asyncIterator]();
  // The header line, whole, before detecting its delimiter: it may span chunks.
  let head = "";
  let next: IteratorResult<string> = await chunks.next();
  while (!next.done) {
    head += next.value;
    if (next.value.includes("\n") || head.length > MAX_RECORD_CHARS) break;
    next = await chunks.next();
  }
  if (head === "") return;
  const all = prepend(head, chunks, next.done === true);
  const delimiter = options.delimiter ? DELIMITERS[options.delimiter] : detectDelimiter(head);
  // Lines are counted here rather than with csv-parse's `info` (a third
  // of its time); so blank lines come through, as one empty cell, and are
  // skipped below.
  const parser = parse({ delimiter, relax_column_count: true, relax_quotes: true, max_record_size: MAX_RECORD_CHARS });
  // Feed the parser from the text stream, honouring its backpressure.
  const feeding = (async () => {
    try {
      for await (const chunk of all) {
        if (parser.destroyed) break;
        if (!parser.write(chunk)) await drainedOrClosed(parser);
      }
      if (!parser.destroyed) parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();

  let header: Array<string | null> | undefined;
  let nextLine = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine += 1;
      for (const cell of record) nextLine += count(cell, "\n");
      if (record.length === 1 && record[0] === "") continue;
      if (!header) {
        if (record.length === 1) checkOneColumn(record[0]!, delimiter, head, line);
        header = readHeader(record, line);
        options.onHeader?.(header.filter((key) => key !== null), delimiterName(delimiter));
        continue;
      }
      if (record.length !== header.length) {
        yield { entry: rowObject(header, record, options), location: line, problem: `the row has ${record.length} cells; the header has ${header.length}` };
        continue;
      }
      yield { entry: rowObject(header, record, options), location: line };
    }
  } catch (err) {
    if (err instanceof CsvError) throw badRequest(`line ${(err as CsvError & { lines?: number }).lines ?? "?"}: the CSV file cannot be read: ${err.message.replace(/ at line \d+/, "")}`);
    throw err;
  } finally {
    // Stopped early (a refusal, or the consumer gave up): stop feeding too.
    parser.destroy();
    await feeding;
  }
}

const delimiterName = (delimiter: string) => (Object.keys(DELIMITERS) as DelimiterName[]).find((name) => DELIMITERS[name] === delimiter)!;

/** The delimiter that the header line uses most, outside quotes; `,` when it uses none. */
function detectDelimiter(start: string): string {
  const end = start.search(/\r?\n/);
  const line = end === -1 ? start : start.slice(0, end);
  return mostUsed(line, Object.values(DELIMITERS)) ?? ",";
}

/** Of the candidates, the one the text holds most often outside quoted parts; undefined when it holds none. */
function mostUsed(text: string, candidates: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && candidates.includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: string | undefined;
  // Ties go to the earlier candidate: , before ; before tab before |.
  for (const candidate of candidates) if ((counts.get(candidate) ?? 0) > (counts.get(best ?? "") ?? 0)) best = candidate;
  return best;
}

/**
 * A header that comes out as one column holding another delimiter is read
 * with the wrong one (given, or a type that implies tab): refused, as every
 * row would be one value. A quoted header is taken as meant.
 */
function checkOneColumn(cell: string, delimiter: string, head: string, line: number): void {
  if (/^\s*"/.test(head)) return;
  const other = mostUsed(cell, Object.values(DELIMITERS).filter((d) => d !== delimiter));
  if (other === undefined) return;
  const label = (d: string) => (d === "\t" ? "tab" : `'${d}'`);
  const shownCell = cell.length > 60 ? `${cell.slice(0, 60)}…` : cell;
  throw badRequest(
    `line ${line}: the header is one column ('${shownCell}') with the delimiter ${label(delimiter)}; the file seems to use ${label(other)}: send delimiter=${other === "\t" ? "tab" : other} (or quote the header cell, if it is one column)`,
  );
}

/** Header cells are the keys; a column without a name is left out. */
function readHeader(record: string[], line: number): Array<string | null> {
  const seen = new Set<string>();
  return record.map((cell, index) => {
    const key = cell.trim() === "" ? null : cell;
    if (key !== null) {
      if (seen.has(key)) throw badRequest(`line ${line}: the header names column '${key}' twice (columns ${record.indexOf(key) + 1} and ${index + 1})`);
      seen.add(key);
    }
    return key;
  });
}

function rowObject(header: ReadonlyArray<string | null>, record: string[], options: CsvOptions): Record<string, string | null> {
  const entry: Record<string, string | null> = {};
  const cells = Math.min(header.length, record.length);
  for (let i = 0; i < cells; i++) {
    const key = header[i];
    if (key === null || key === undefined) continue;
    const value = record[i]!;
    if (value !== "") setOwn(entry, key, value);
    else if (options.emptyValues === "clear") setOwn(entry, key, null);
  }
  return entry;
}

function count(text: string, part: string): number {
  let n = 0;
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + part.length)) n++;
  return n;
}

function drainedOrClosed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

/** The text again, from its already-read head on. */
async function* prepend(head: string, rest: AsyncIterator<string>, restDone: boolean): AsyncGenerator<string> {
  yield head;
  if (restDone) return;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}
