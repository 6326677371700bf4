// A ZIP reader for tests, written from APPNOTE independently of the writer: finds the end record
// (and the ZIP64 end record when present), walks the central directory, and checks every entry's
// local header, bytes and CRC-32. Also asks the system's unzip and Python's zipfile when installed.
import { spawnSync } from "node:child_process";
import { crc32 } from "node:zlib";

export type UnzippedEntry = { name: string; data: Buffer; crc: number; offset: number; zip64Offset: boolean };

export function readZip(zip: Buffer): { entries: UnzippedEntry[]; zip64: boolean } {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error("no end of central directory record");
  let count = zip.readUInt16LE(endAt + 10);
  let directorySize = zip.readUInt32LE(endAt + 12);
  let directoryOffset = zip.readUInt32LE(endAt + 16);
  let zip64 = false;
  if (endAt >= 20 && zip.readUInt32LE(endAt - 20) === 0x07064b50) {
    zip64 = true;
    const recordAt = Number(zip.readBigUInt64LE(endAt - 20 + 8));
    if (zip.readUInt32LE(recordAt) !== 0x06064b50) throw new Error("ZIP64 locator does not point at a ZIP64 end record");
    count = Number(zip.readBigUInt64LE(recordAt + 32));
    directorySize = Number(zip.readBigUInt64LE(recordAt + 40));
    directoryOffset = Number(zip.readBigUInt64LE(recordAt + 48));
  }
  const entries: UnzippedEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`central directory entry ${i} has a bad signature`);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    let offset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x0800 ? "utf8" : "latin1");
    let zip64Offset = false;
    const extra = zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(e);
      const length = extra.readUInt16LE(e + 2);
      if (id === 0x0001 && offset === 0xffffffff) {
        offset = Number(extra.readBigUInt64LE(e + 4));
        zip64Offset = true;
      }
      e += 4 + length;
    }
    if (method !== 0) throw new Error(`${name}: method ${method}, expected stored`);
    if (zip.readUInt32LE(offset) !== 0x04034b50) throw new Error(`${name}: no local header at ${offset}`);
    const localName = zip.subarray(offset + 30, offset + 30 + zip.readUInt16LE(offset + 26)).toString("utf8");
    if (localName !== name) throw new Error(`${name}: local header names ${localName}`);
    const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const data = zip.subarray(start, start + size);
    if ((crc32(data) >>> 0) !== crc) throw new Error(`${name}: CRC-32 mismatch`);
    if (zip.readUInt32LE(start + size) !== 0x08074b50) throw new Error(`${name}: no data descriptor after its bytes`);
    entries.push({ name, data, crc, offset, zip64Offset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (at - directoryOffset !== directorySize) throw new Error("central directory size does not match the end record");
  return { entries, zip64 };
}

/** What the system's tools say about the archive file (null when the tool is not installed). */
export function systemZipCheck(file: string): { unzip: string | null; python: string | null } {
  const unzip = spawnSync("unzip", ["-tq", file], { encoding: "utf8" });
  const python = spawnSync("python3", ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); bad = z.testzip(); print('ok' if bad is None else 'bad ' + bad, len(z.namelist()))", file], { encoding: "utf8" });
  return {
    unzip: unzip.error ? null : `${unzip.status} ${unzip.stdout.trim()} ${unzip.stderr.trim()}`.trim(),
    python: python.error || python.status === 127 ? null : `${python.status} ${python.stdout.trim()} ${python.stderr.trim()}`.trim(),
  };
}
