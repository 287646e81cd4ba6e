import { describe, expect, it } from "vitest";
import { csvEntries } from "../../src/import/formats/csv-entries.js";
import { decodeText } from "../../src/import/formats/decode-text.js";
import { ndjsonEntries } from "../../src/import/formats/ndjson-entries.js";
import { MAX_RECORD_CHARS, type ParsedEntry } from "../../src/import/formats/parsed-entry.js";

// The parsers as the route drives them: text or bytes in chunks, however the network cut them.
async function* chunks<T>(...parts: T[]): AsyncGenerator<T> {
  for (const part of parts) yield part;
}
async function collect(source: AsyncIterable<ParsedEntry>): Promise<ParsedEntry[]> {
  const out: ParsedEntry[] = [];
  for await (const entry of source) out.push(entry);
  return out;
}
async function decode(...parts: Buffer[]): Promise<string> {
  let text = "";
  for await (const piece of decodeText(chunks(...parts), undefined, true)) text += piece;
  return text;
}

describe("file readers", () => {
  it("detects the CSV delimiter from the whole header line, even when it spans chunks", async () => {
    const entries = await collect(csvEntries(chunks("id", ";name;ci", "ty\nq1;Q1;Berlin\n"), { emptyValues: "ignore" }));
    expect(entries).toEqual([{ entry: { id: "q1", name: "Q1", city: "Berlin" }, location: 2 }]);
  });

  it("numbers CSV rows by their first line, across quoted CRLF and LF newlines and blank lines", async () => {
    const lines = async (csv: string) =>
      (await collect(csvEntries(chunks(csv.slice(0, 7), csv.slice(7)), { emptyValues: "ignore" }))).map((e) => [(e.entry as { id: string }).id, e.location]);
    expect(await lines('id,note\r\na,"one\r\ntwo"\r\n\r\nb,x\r\nc,"3\r\n4\r\n5"\r\nd,y\r\n')).toEqual([["a", 2], ["b", 5], ["c", 6], ["d", 9]]);
    expect(await lines('id,note\na,"one\ntwo"\n\nb,x\nc,"3\n4\n5"\nd,y')).toEqual([["a", 2], ["b", 5], ["c", 6], ["d", 9]]);
  });

  it("refuses a CSV record longer than the cap, naming its line", async () => {
    const huge = "x".repeat(MAX_RECORD_CHARS + 10);
    await expect(collect(csvEntries(chunks("id,note\n", `a,ok\nb,"${huge}"\n`), { emptyValues: "ignore" }))).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/^line 3: the CSV file cannot be read: /),
    });
  });

  it("reads an NDJSON line spread over many chunks, and refuses one over the cap", async () => {
    const long = `{"id":"l-1","note":"${"y".repeat(4_000_000)}"}\n{"id":"l-2"}\n`;
    const pieces = long.match(/[\s\S]{1,65536}/g)!;
    const entries = await collect(ndjsonEntries(chunks(...pieces)));
    expect(entries.map((e) => [(e.entry as { id: string }).id, e.location])).toEqual([["l-1", 1], ["l-2", 2]]);
    expect(((entries[0]!.entry as { note: string }).note).length).toBe(4_000_000);

    const tooLong = "z".repeat(65536);
    const many = Array.from({ length: Math.ceil(MAX_RECORD_CHARS / 65536) + 1 }, () => tooLong);
    await expect(collect(ndjsonEntries(chunks('{"id":"a"}\n', ...many)))).rejects.toMatchObject({ statusCode: 400, message: /^line 2: the line is longer than/ });
  });

  it("reads Windows-1252 when the first non-ASCII byte is not UTF-8, and refuses mixed encodings", async () => {
    expect(await decode(Buffer.from("id\nM\xfcnchen\n", "latin1"))).toBe("id\nMünchen\n");
    expect(await decode(Buffer.from("id\n"), Buffer.from("K\xf6ln\n", "latin1"))).toBe("id\nKöln\n");
    expect(await decode(Buffer.from("\ufeffid\nMünchen\n"))).toBe("id\nMünchen\n");
    // Valid UTF-8, then a Windows-1252 byte: in one chunk or in two.
    const mixed = Buffer.concat([Buffer.from("id\nMünchen\n"), Buffer.from("M\xfcnchen\n", "latin1")]);
    await expect(decode(mixed)).rejects.toMatchObject({ statusCode: 400, message: /^line 3: the file is not valid utf-8/i });
    await expect(decode(mixed.subarray(0, 12), mixed.subarray(12))).rejects.toMatchObject({ statusCode: 400, message: /^line 3: / });
    // A byte order mark says UTF-8: Windows-1252 bytes after it are an error, not a guess.
    await expect(decode(Buffer.concat([Buffer.from("\ufeffid\n"), Buffer.from("M\xfcnchen\n", "latin1")]))).rejects.toMatchObject({ statusCode: 400 });
  });
});
