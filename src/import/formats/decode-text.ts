import { isAscii, isUtf8 } from "node:buffer";
import { badRequest } from "../../http/errors.js";

const WINDOWS_1252 = /^(windows-1252|cp1252|iso-8859-1|iso8859-1|latin-?1|l1|us-ascii|ascii)$/i;

/** Normalises a charset name to the decoder's, or refuses it. */
export function decoderName(charset: string | undefined): "utf-8" | "windows-1252" | undefined {
  if (charset === undefined) return undefined;
  if (/^utf-?8$/i.test(charset)) return "utf-8";
  // WHATWG decodes Latin-1 as Windows-1252, its superset; so do spreadsheets.
  if (WINDOWS_1252.test(charset)) return "windows-1252";
  throw badRequest(`charset '${charset}' is not supported: use utf-8 or windows-1252 (latin1)`);
}

/**
 * Decodes a byte stream to text. UTF-8 unless told otherwise, with or
 * without a byte order mark; a file that is not valid UTF-8 where its first
 * non-ASCII byte appears is read as Windows-1252 (a spreadsheet's "CSV"
 * export on Windows), so that `M\xfcnchen` arrives as `München`. Bytes that
 * fit neither refuse the file with the line they are on.
 */
export async function* decodeText(
  bytes: AsyncIterable<Buffer>,
  charset: "utf-8" | "windows-1252" | undefined,
  allowWindows1252: boolean,
  /** Told the encoding once the text shows it (its first non-ASCII byte). */
  onEncoding?: (encoding: "utf-8" | "windows-1252") => void,
): AsyncGenerator<string> {
  let encoding = charset;
  let decoder = new TextDecoder(encoding ?? "utf-8", { fatal: true, ignoreBOM: false });
  let seenNonAscii = false;
  let lines = 1;
  for await (const chunk of bytes) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      // Everything before was ASCII (which both encodings read alike), and
      // so is this chunk up to its first bad byte: the file is Windows-1252.
      if (encoding === undefined && !seenNonAscii && allowWindows1252 && asciiUpToBadByte(chunk)) {
        encoding = "windows-1252";
        onEncoding?.(encoding);
        decoder = new TextDecoder(encoding);
        text = decoder.decode(chunk, { stream: true });
      } else {
        const hint = allowWindows1252 ? "; give its charset (utf-8 or windows-1252)" : "";
        throw badRequest(`line ${lines + newlinesBeforeBadByte(chunk)}: the file is not valid ${encoding ?? "UTF-8"}${hint}`);
      }
    }
    if (!seenNonAscii && !isAscii(chunk)) {
      seenNonAscii = true;
      encoding ??= "utf-8";
      onEncoding?.(encoding);
    }
    lines += countNewlines(text);
    if (text.length > 0) yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } catch {
    throw badRequest(`line ${lines}: the file ends inside a UTF-8 character`);
  }
}

/** Whether every byte before the chunk's first invalid UTF-8 sequence is ASCII. */
function asciiUpToBadByte(chunk: Buffer): boolean {
  const bad = firstBadByte(chunk);
  return isAscii(chunk.subarray(0, bad));
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Newlines in the chunk before its first byte that is not valid UTF-8 (for the message). */
function newlinesBeforeBadByte(chunk: Buffer): number {
  let n = 0;
  const bad = firstBadByte(chunk);
  for (let i = 0; i < bad; i++) if (chunk[i] === 0x0a) n++;
  return n;
}

/** Where the chunk's first byte that does not start a valid UTF-8 sequence is (its length if none). */
function firstBadByte(chunk: Buffer): number {
  for (let i = 0; i < chunk.length; i++) {
    const byte = chunk[i]!;
    if (byte < 0x80) continue;
    const length = byte >= 0xf8 ? 0 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 ? 2 : 0;
    // A sequence cut off by the chunk's end is not known to be bad.
    if (length !== 0 && i + length > chunk.length) return chunk.length;
    if (length === 0 || !isUtf8(chunk.subarray(i, i + length))) return i;
    i += length - 1;
  }
  return chunk.length;
}
