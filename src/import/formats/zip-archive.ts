import { randomUUID } from "node:crypto";
import { open, rm, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import yauzl from "yauzl";
import yazl from "yazl";

/** A zip archive that cannot be read, in words for the client. */
export class ZipFormatError extends Error {}

/** An upload written to a temporary file, for reading in any order. */
export interface SpooledFile {
  readonly handle: FileHandle;
  readonly size: number;
  /** Closes the file; the system then frees it. */
  close(): Promise<void>;
}

/** A zip archive's members by name, from its central directory. */
export interface ZipArchive {
  readonly zipfile: yauzl.ZipFile;
  readonly members: ReadonlyMap<string, yauzl.Entry>;
}

/** A member written from memory. */
export interface StoredPart {
  name: string;
  content: Buffer;
}

/** A zip archive written as a stream. */
export interface ZipStream {
  readonly stream: Readable;
  /** Why a member could not be read: its data, and then the stream, end early. */
  readonly failure: Error | undefined;
  /** Writes the central directory once the last member is written; the stream then ends. */
  end(): void;
  /** Stops reading the archive. */
  destroy(): void;
}

const WRITE_BYTES = 256 * 1024;
// A member's header and data descriptor, with a name as short as a workbook's parts have.
const MEMBER_OVERHEAD = 1024;
// A workbook has tens of members; this many is no workbook's.
const MAX_MEMBERS = 100_000;

/**
 * Writes the bytes to a temporary file as they arrive. The file is unlinked
 * as soon as it is open, so that the system frees it once it is closed, even
 * if the process is killed before.
 */
export async function spoolToTempFile(bytes: AsyncIterable<Buffer>): Promise<SpooledFile> {
  const path = join(tmpdir(), `assetport-upload-${randomUUID()}`);
  const handle = await open(path, "wx+", 0o600);
  // Windows cannot unlink an open file: it is removed on close there.
  const unlinked = await rm(path).then(
    () => true,
    () => false,
  );
  const close = async () => {
    await handle.close();
    if (!unlinked) await rm(path, { force: true });
  };
  try {
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      for (let done = 0; done < chunk.length; ) done += (await handle.write(chunk, done, chunk.length - done, size + done)).bytesWritten;
      size += chunk.length;
      pending = [];
      pendingBytes = 0;
    };
    for await (const chunk of bytes) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= WRITE_BYTES) await flush();
    }
    if (pendingBytes > 0) await flush();
    return { handle, size, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The spooled file read as a zip archive; a name given twice is the later member, as unzip tools take it. */
export async function openZip(file: SpooledFile): Promise<ZipArchive> {
  try {
    // yauzl closes a descriptor it is given only in close(), which is never
    // called: the descriptor stays the spooled file's to close.
    const zipfile = await yauzl.fromFdPromise(file.handle.fd, { lazyEntries: true, autoClose: false });
    if (zipfile.entryCount > MAX_MEMBERS) throw new ZipFormatError(`it has more than ${MAX_MEMBERS} members`);
    const members = new Map<string, yauzl.Entry>();
    for await (const entry of zipfile.eachEntry()) members.set(entry.fileName, entry);
    return { zipfile, members };
  } catch (err) {
    throw formatError(err);
  }
}

/** A small member's content, uncompressed; refused past `maxBytes`. */
export async function readMember(archive: ZipArchive, member: yauzl.Entry, maxBytes: number): Promise<Buffer> {
  // yauzl fails a member whose data is longer than its directory says.
  if (member.uncompressedSize > maxBytes) throw new ZipFormatError(`its member '${member.fileName}' is larger than ${maxBytes} bytes`);
  try {
    return await buffer(await archive.zipfile.openReadStreamPromise(member));
  } catch (err) {
    throw formatError(err, member);
  }
}

/**
 * A zip stream of the given parts in the given order, for a reader that
 * reads a zip front to back. yazl writes a streamed member's sizes after its
 * data, and unzipper (under exceljs) finds where that data ends by looking
 * for the record that follows it: deflated data may hold that record's
 * signature by chance, UTF-8 XML cannot (it allows no bytes 0x07 and 0x08).
 * So members are stored uncompressed; yazl could not pass their deflated
 * data through anyway. The central directory waits for `end()`: unzipper
 * ends its stream when it reads it, and members it had parsed but not yet
 * handed on are then lost.
 */
export function zipStream(archive: ZipArchive, parts: ReadonlyArray<yauzl.Entry | StoredPart>): ZipStream {
  // Past 4 GiB yazl writes that record in its zip64 form, which unzipper misreads, and loses the member after it.
  const before = parts.slice(0, -1).reduce((bytes, part) => bytes + ("content" in part ? part.content.length : part.uncompressedSize) + MEMBER_OVERHEAD, 0);
  if (before > 0xfffffffe) throw new ZipFormatError(`its members before '${partName(parts.at(-1)!)}' are larger than 4 GiB together, uncompressed`);
  const zip = new yazl.ZipFile();
  const reading = new Set<Readable>();
  let failure: Error | undefined;
  // The stream ends even so: exceljs never learns of its source's errors, and would wait for more.
  const fail = (err: unknown) => {
    failure ??= err instanceof Error ? err : new Error(String(err));
    zip.end();
  };
  async function* memberData(member: yauzl.Entry): AsyncGenerator<Buffer> {
    if (failure) return;
    try {
      yield* (await archive.zipfile.openReadStreamPromise(member)) as AsyncIterable<Buffer>;
    } catch (err) {
      fail(formatError(err, member));
    }
  }
  zip.on("error", fail);
  for (const part of parts) {
    if ("content" in part) {
      zip.addBuffer(part.content, part.name, { compress: false });
      continue;
    }
    zip.addReadStreamLazy(part.fileName, { compress: false }, (done) => {
      const data = Readable.from(memberData(part), { objectMode: false });
      reading.add(data);
      data.once("close", () => reading.delete(data));
      done(null, data);
    });
  }
  const stream = zip.outputStream as Readable;
  return {
    stream,
    get failure() {
      return failure;
    },
    end: () => zip.end(),
    destroy: () => {
      for (const data of reading) data.destroy();
      stream.destroy();
    },
  };
}

const partName = (part: yauzl.Entry | StoredPart) => ("content" in part ? part.name : part.fileName);

/** yauzl's errors, and zlib's, are the archive's; the system's are not. */
function formatError(err: unknown, member?: yauzl.Entry): unknown {
  if (!(err instanceof Error) || err instanceof ZipFormatError || "syscall" in err) return err;
  const message = err.message.startsWith("End of central directory record signature not found") ? "it is not a zip archive" : err.message;
  return new ZipFormatError(member ? `its member '${member.fileName}' cannot be read: ${message}` : message, { cause: err });
}
