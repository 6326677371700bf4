// A ZIP archive written as a stream (docs/decisions/0070-streamed-zip-exports.md): entries go out
// as they are read, so an export of any size holds one chunk of one file at a time. Images are
// already compressed, so entries are STORED (no deflate: nothing to gain, CPU to lose). Sizes and
// CRC-32 are not known before an entry's bytes have passed, so each entry is followed by a data
// descriptor (flag bit 3) and the central directory at the end has them. Offsets past 4 GiB and
// more than 65535 entries use the ZIP64 records (APPNOTE 6.3.10, sections 4.3.9, 4.3.14-16, 4.5.3);
// a single entry stays below 4 GiB (images are at most 25 MB; a manifest far less).
import { once } from "node:events";
import { PassThrough, type Readable } from "node:stream";
import { crc32 } from "node:zlib";

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const END = 0x06054b50;
const FLAGS = 0x0008 | 0x0800; // sizes in a data descriptor; UTF-8 names
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
/** Version needed: 2.0 (stored, data descriptor), 4.5 where ZIP64 fields appear. */
const V20 = 20;
const V45 = 45;
/** Made by: Unix (3), spec 4.5, so the external attributes carry file modes. */
const MADE_BY = (3 << 8) | V45;
const FILE_MODE = 0o100644;

type CentralEntry = { name: Buffer; crc: number; size: number; offset: number; time: number; date: number };

export type ZipOptions = {
  /** "always": write ZIP64 records even for a small archive (tests exercise those paths). */
  zip64?: "auto" | "always";
  /** Buffered bytes of output before writes wait for the reader. */
  highWaterMark?: number;
};

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/** Entry names: forward slashes, no absolute paths, no "..", no control characters. */
export function safeEntryName(name: string): string {
  const parts = name
    .replace(/\\/g, "/")
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, "_")
    .split("/")
    .filter((part) => part !== "" && part !== "." && part !== "..");
  if (parts.length === 0) throw new Error(`Not a usable ZIP entry name: ${JSON.stringify(name)}`);
  return parts.join("/");
}

export class ZipStream {
  /** The archive's bytes; whoever consumes them (an upload to storage, a response) reads here. */
  readonly output: PassThrough;
  private offset = 0;
  private readonly entries: CentralEntry[] = [];
  private readonly names = new Set<string>();
  private readonly forceZip64: boolean;
  private finished = false;

  constructor(options: ZipOptions = {}) {
    this.output = new PassThrough({ highWaterMark: options.highWaterMark ?? 1 << 20 });
    // An abort before the consumer has attached its own listeners (e.g. the storage upload still
    // opening its file) must not be an uncaught 'error' event: the error reaches the writer through
    // add()/finish() and the consumer through its own listeners.
    this.output.on("error", () => undefined);
    this.forceZip64 = options.zip64 === "always";
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.offset;
  }

  get entryCount(): number {
    return this.entries.length;
  }

  private async write(chunk: Buffer): Promise<void> {
    if (this.output.destroyed) throw this.output.errored ?? new Error("The ZIP output was closed");
    this.offset += chunk.length;
    if (!this.output.write(chunk)) await once(this.output, "drain");
  }

  /** Adds one file whose bytes come from `source` (a stream, an async iterable of chunks, or a buffer). */
  async add(name: string, source: Readable | AsyncIterable<Buffer | Uint8Array | string> | Buffer, modified = new Date()): Promise<void> {
    if (this.finished) throw new Error("The ZIP archive is already finished");
    const entryName = safeEntryName(name);
    if (this.names.has(entryName)) throw new Error(`Duplicate ZIP entry ${entryName}`);
    this.names.add(entryName);
    const nameBytes = Buffer.from(entryName, "utf8");
    const { time, date } = dosDateTime(modified);
    const offset = this.offset;

    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(V20, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(date, 12);
    // CRC-32 and sizes (14..25) stay 0: they follow in the data descriptor.
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    await this.write(Buffer.concat([header, nameBytes]));

    let crc = 0;
    let size = 0;
    const chunks = Buffer.isBuffer(source) ? [source] : source;
    for await (const piece of chunks) {
      const chunk = typeof piece === "string" ? Buffer.from(piece, "utf8") : Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
      if (chunk.length === 0) continue;
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (size > MAX32) throw new Error(`ZIP entry ${entryName} is larger than 4 GiB`);
      await this.write(chunk);
    }

    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(size, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.write(descriptor);
    this.entries.push({ name: nameBytes, crc: crc >>> 0, size, offset, time, date });
  }

  /** Writes the central directory and the end records, and ends the output. */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const directoryOffset = this.offset;
    for (const entry of this.entries) {
      const zip64Offset = this.forceZip64 || entry.offset >= MAX32;
      const extra = zip64Offset ? Buffer.alloc(12) : Buffer.alloc(0);
      if (zip64Offset) {
        extra.writeUInt16LE(0x0001, 0); // ZIP64 extended information
        extra.writeUInt16LE(8, 2);
        extra.writeBigUInt64LE(BigInt(entry.offset), 4);
      }
      const header = Buffer.alloc(46);
      header.writeUInt32LE(CENTRAL_HEADER, 0);
      header.writeUInt16LE(MADE_BY, 4);
      header.writeUInt16LE(zip64Offset ? V45 : V20, 6);
      header.writeUInt16LE(FLAGS, 8);
      header.writeUInt16LE(0, 10);
      header.writeUInt16LE(entry.time, 12);
      header.writeUInt16LE(entry.date, 14);
      header.writeUInt32LE(entry.crc, 16);
      header.writeUInt32LE(entry.size, 20);
      header.writeUInt32LE(entry.size, 24);
      header.writeUInt16LE(entry.name.length, 28);
      header.writeUInt16LE(extra.length, 30);
      header.writeUInt16LE(0, 32); // comment
      header.writeUInt16LE(0, 34); // disk
      header.writeUInt16LE(0, 36); // internal attributes
      header.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
      header.writeUInt32LE(zip64Offset ? MAX32 : entry.offset, 42);
      await this.write(Buffer.concat([header, entry.name, extra]));
    }
    const directorySize = this.offset - directoryOffset;
    const count = this.entries.length;
    const zip64 = this.forceZip64 || count >= MAX16 || directoryOffset >= MAX32 || directorySize >= MAX32;
    if (zip64) {
      const zip64EndOffset = this.offset;
      const record = Buffer.alloc(56);
      record.writeUInt32LE(ZIP64_END, 0);
      record.writeBigUInt64LE(44n, 4); // size of the rest of the record
      record.writeUInt16LE(MADE_BY, 12);
      record.writeUInt16LE(V45, 14);
      record.writeUInt32LE(0, 16); // this disk
      record.writeUInt32LE(0, 20); // disk with the directory
      record.writeBigUInt64LE(BigInt(count), 24);
      record.writeBigUInt64LE(BigInt(count), 32);
      record.writeBigUInt64LE(BigInt(directorySize), 40);
      record.writeBigUInt64LE(BigInt(directoryOffset), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(ZIP64_LOCATOR, 0);
      locator.writeUInt32LE(0, 4);
      locator.writeBigUInt64LE(BigInt(zip64EndOffset), 8);
      locator.writeUInt32LE(1, 16); // total disks
      await this.write(Buffer.concat([record, locator]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END, 0);
    end.writeUInt16LE(0, 4);
    end.writeUInt16LE(0, 6);
    end.writeUInt16LE(zip64 ? MAX16 : count, 8);
    end.writeUInt16LE(zip64 ? MAX16 : count, 10);
    end.writeUInt32LE(zip64 ? MAX32 : directorySize, 12);
    end.writeUInt32LE(zip64 ? MAX32 : directoryOffset, 16);
    end.writeUInt16LE(0, 20);
    await this.write(end);
    this.output.end();
  }

  /** Stops the archive: a reader sees the error, and pending writes end. */
  abort(error: Error): void {
    this.finished = true;
    this.output.destroy(error);
  }
}
