import type { ExportEntry } from "./export-types.js";

// JSON and NDJSON write each entry as JSON.stringify gives it: exact for
// every stored value (text, numbers, booleans, arrays, "" and [] included).
// One string per chunk of entries: building it is far cheaper than a write
// per entry.

/** A JSON array, one entry per line: `[`, entries joined by `,`, `]`; `[]` when there are none. */
export async function* jsonExport(chunks: AsyncIterable<ExportEntry[]>): AsyncGenerator<Buffer> {
  let first = true;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    const body = chunk.map((entry) => JSON.stringify(entry)).join(",\n");
    yield Buffer.from(first ? `[\n${body}` : `,\n${body}`);
    first = false;
  }
  yield Buffer.from(first ? "[]\n" : "\n]\n");
}

/** One JSON object per line, each line ending with LF; nothing at all when there are no entries. */
export async function* ndjsonExport(chunks: AsyncIterable<ExportEntry[]>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    yield Buffer.from(`${chunk.map((entry) => JSON.stringify(entry)).join("\n")}\n`);
  }
}
