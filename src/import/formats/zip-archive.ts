import { randomUUID } from "node:crypto";
import { open, rm, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, inflateRawSync } from "node:zlib";

/** A zip archive that cannot be read, in words for the client. */
export class ZipFormatError extends Error {}

/** An upload written to a temporary file, for reading in any order. */
export interface SpooledFile {
  readonly handle: FileHandle;
  readonly size: number;
  /** Closes the file; the system then frees it. */
  close(): Promise<void>;
}

/** One member of a zip archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Where its local header starts in the archive. */
  offset: number;
}

/** A member written from memory, stored uncompressed. */
export interface StoredPart {
  name: string;
  content: Buffer;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const END_OF_DIRECTORY_SIZE = 22;
const MAX_COMMENT = 0xffff;
// A workbook's directory takes about 100 bytes a part; a larger one is not a workbook's.
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;
const WRITE_BYTES = 256 * 1024;
const READ_BYTES = 64 * 1024;

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

/** The archive's members, in the order of its central directory. */
export async function readZipDirectory(file: SpooledFile): Promise<ZipEntry[]> {
  const tailStart = Math.max(0, file.size - END_OF_DIRECTORY_SIZE - MAX_COMMENT);
  const tail = await readAt(file, tailStart, file.size - tailStart);
  let end = -1;
  for (let i = tail.length - END_OF_DIRECTORY_SIZE; i >= 0 && end === -1; i--) {
    if (tail.readUInt32LE(i) === END_OF_DIRECTORY && i + END_OF_DIRECTORY_SIZE + tail.readUInt16LE(i + 20) <= tail.length) end = i;
  }
  if (end === -1) throw new ZipFormatError("it is not a zip archive");
  let count = tail.readUInt16LE(end + 10);
  let directorySize = tail.readUInt32LE(end + 12);
  let directoryOffset = tail.readUInt32LE(end + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = tailStart + end - 20;
    const located = locator >= 0 ? await readAt(file, locator, 20) : undefined;
    if (located?.readUInt32LE(0) !== ZIP64_LOCATOR) throw new ZipFormatError("its zip64 directory cannot be found");
    const record = await readAt(file, safeNumber(located.readBigUInt64LE(8)), 56);
    if (record.readUInt32LE(0) !== ZIP64_END_OF_DIRECTORY) throw new ZipFormatError("its zip64 directory cannot be found");
    count = safeNumber(record.readBigUInt64LE(32));
    directorySize = safeNumber(record.readBigUInt64LE(40));
    directoryOffset = safeNumber(record.readBigUInt64LE(48));
  }
  if (directorySize > MAX_DIRECTORY_BYTES) throw new ZipFormatError(`its directory is larger than ${MAX_DIRECTORY_BYTES} bytes`);
  if (directoryOffset + directorySize > file.size) throw new ZipFormatError("its directory lies beyond the end of the file");
  const directory = await readAt(file, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  for (let at = 0; entries.length < count; ) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_HEADER) throw new ZipFormatError("its directory is damaged");
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      name: directory.toString("utf8", at + 46, at + 46 + nameLength),
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      time: directory.readUInt16LE(at + 12),
      date: directory.readUInt16LE(at + 14),
      crc: directory.readUInt32LE(at + 16),
      compressedSize: directory.readUInt32LE(at + 20),
      uncompressedSize: directory.readUInt32LE(at + 24),
      offset: directory.readUInt32LE(at + 42),
    };
    readZip64Sizes(entry, directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    if (entry.offset + entry.compressedSize > directoryOffset) throw new ZipFormatError(`its member '${entry.name}' lies beyond its data`);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** A member whose data was found where its directory says, and can be read as it is. */
export interface ZipMember extends ZipEntry {
  dataStart: number;
}

export async function locateMember(file: SpooledFile, entry: ZipEntry): Promise<ZipMember> {
  if (entry.flags & 0x1) throw new ZipFormatError(`its member '${entry.name}' is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipFormatError(`its member '${entry.name}' uses compression method ${entry.method}, which cannot be read`);
  const local = await readAt(file, entry.offset, 30);
  if (local.readUInt32LE(0) !== LOCAL_HEADER) throw new ZipFormatError(`its member '${entry.name}' is not where its directory says`);
  const dataStart = entry.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (dataStart + entry.compressedSize > file.size) throw new ZipFormatError(`its member '${entry.name}' lies beyond the end of the file`);
  return { ...entry, dataStart };
}

/** A small member's content, uncompressed; refused past `maxBytes`. */
export async function readMember(file: SpooledFile, member: ZipMember, maxBytes: number): Promise<Buffer> {
  if (member.uncompressedSize > maxBytes || member.compressedSize > maxBytes) throw new ZipFormatError(`its member '${member.name}' is larger than ${maxBytes} bytes`);
  const data = await readAt(file, member.dataStart, member.compressedSize);
  if (member.method === 0) return data;
  try {
    return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch (err) {
    throw new ZipFormatError(`its member '${member.name}' cannot be uncompressed: ${(err as Error).message}`);
  }
}

/**
 * A zip stream of the given members in the given order, each with its sizes
 * in its local header, for a reader that reads a zip front to back. The
 * stream's last record waits for `beforeEnd`: unzipper (under exceljs) ends
 * its stream when it reads that record, and members it had parsed but not
 * yet handed on are then lost.
 */
export async function* zipStream(file: SpooledFile, parts: ReadonlyArray<ZipMember | StoredPart>, beforeEnd: () => Promise<void>): AsyncGenerator<Buffer> {
  let written = 0;
  for (const part of parts) {
    if ("content" in part) {
      const size = part.content.length;
      const header = localHeader({ name: part.name, flags: 0, method: 0, time: 0, date: 0x21, crc: crc32(part.content), compressedSize: size, uncompressedSize: size, offset: 0 });
      yield header;
      yield part.content;
      written += header.length + size;
      continue;
    }
    const header = localHeader(part);
    yield header;
    const end = part.dataStart + part.compressedSize;
    for (let at = part.dataStart; at < end; at += READ_BYTES) yield await readAt(file, at, Math.min(READ_BYTES, end - at));
    written += header.length + part.compressedSize;
  }
  await beforeEnd();
  // No central directory: a front-to-back reader needs only this record.
  const record = Buffer.alloc(END_OF_DIRECTORY_SIZE);
  record.writeUInt32LE(END_OF_DIRECTORY, 0);
  record.writeUInt16LE(Math.min(parts.length, 0xffff), 8);
  record.writeUInt16LE(Math.min(parts.length, 0xffff), 10);
  record.writeUInt32LE(Math.min(written, 0xffffffff), 16);
  yield record;
}

/** The local header of a member, with its sizes and CRC (no data descriptor follows). */
function localHeader(entry: ZipEntry): Buffer {
  const name = Buffer.from(entry.name, "utf8");
  const zip64 = entry.uncompressedSize > 0xfffffffe || entry.compressedSize > 0xfffffffe;
  const header = Buffer.alloc(30 + name.length + (zip64 ? 20 : 0));
  header.writeUInt32LE(LOCAL_HEADER, 0);
  header.writeUInt16LE(zip64 ? 45 : 20, 4);
  // Bit 3 says the sizes follow the data; here they come first. Bit 11: the name is UTF-8.
  header.writeUInt16LE((entry.flags & ~0x8) | 0x800, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(entry.time, 10);
  header.writeUInt16LE(entry.date, 12);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(zip64 ? 0xffffffff : entry.compressedSize, 18);
  header.writeUInt32LE(zip64 ? 0xffffffff : entry.uncompressedSize, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(zip64 ? 20 : 0, 28);
  name.copy(header, 30);
  if (zip64) {
    const extra = 30 + name.length;
    header.writeUInt16LE(0x0001, extra);
    header.writeUInt16LE(16, extra + 2);
    header.writeBigUInt64LE(BigInt(entry.uncompressedSize), extra + 4);
    header.writeBigUInt64LE(BigInt(entry.compressedSize), extra + 12);
  }
  return header;
}

/** A directory entry's zip64 extra field holds, in this order, the values its 32-bit fields could not. */
function readZip64Sizes(entry: ZipEntry, extra: Buffer): void {
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== 0x0001) continue;
    let field = at + 4;
    const next = (): number => {
      if (field + 8 > extra.length) throw new ZipFormatError(`the zip64 sizes of its member '${entry.name}' are damaged`);
      const value = safeNumber(extra.readBigUInt64LE(field));
      field += 8;
      return value;
    };
    if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
    if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
    if (entry.offset === 0xffffffff) entry.offset = next();
    return;
  }
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError("it gives a size or offset that cannot be right");
  return Number(value);
}

async function readAt(file: SpooledFile, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new ZipFormatError("it ends too early");
    done += bytesRead;
  }
  return buffer;
}
