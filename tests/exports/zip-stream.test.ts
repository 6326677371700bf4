// The streamed ZIP writer: what it writes reads back byte for byte (our reader, the system's
// unzip and Python's zipfile agree), ZIP64 records are right, names cannot escape the archive, and
// a slow reader holds the writer back instead of letting the archive pile up in memory.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";

import { describe, expect, it } from "vitest";

import { safeEntryName, ZipStream } from "~/exports/zip-stream.server";

import { readZip, systemZipCheck } from "./support/unzip";

async function build(files: Array<[string, Buffer]>, options?: ConstructorParameters<typeof ZipStream>[0]) {
  const zip = new ZipStream(options);
  const out = buffer(zip.output);
  for (const [name, data] of files) await zip.add(name, Readable.from([data.subarray(0, 7), data.subarray(7)]), new Date("2026-12-03T10:20:30Z"));
  await zip.finish();
  return out;
}

function checkWithSystemTools(zip: Buffer, count: number) {
  const dir = mkdtempSync(path.join(tmpdir(), "lightbox-zip-"));
  try {
    const file = path.join(dir, "test.zip");
    writeFileSync(file, zip);
    const { unzip, python } = systemZipCheck(file);
    if (unzip !== null) expect(unzip).toMatch(/^0 No errors detected/);
    if (python !== null) expect(python).toBe(`0 ok ${count}`);
    if (process.env.CI) expect(unzip, "CI installs unzip (.ci/run)").not.toBeNull();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const files: Array<[string, Buffer]> = [
  ["manifest.json", Buffer.from(JSON.stringify({ hello: "wörld" }))],
  ["images/Tasse – rot.jpg", Buffer.alloc(70_000, 0xab)],
  ["empty.txt", Buffer.alloc(0)],
];

describe("streamed ZIP", () => {
  it("reads back byte for byte: stored entries, UTF-8 names, CRC-32 and sizes in data descriptors", async () => {
    const zip = await build(files);
    const { entries, zip64 } = readZip(zip);
    expect(zip64).toBe(false);
    expect(entries.map((e) => e.name)).toEqual(files.map(([name]) => name));
    for (const [i, [, data]] of files.entries()) expect(entries[i]!.data.equals(data)).toBe(true);
    checkWithSystemTools(zip, files.length);
  });

  it("writes ZIP64 end records and offsets that the tools read (as an archive over 4 GiB needs)", async () => {
    const zip = await build(files, { zip64: "always" });
    const { entries, zip64 } = readZip(zip);
    expect(zip64).toBe(true);
    expect(entries.every((e) => e.zip64Offset)).toBe(true);
    for (const [i, [, data]] of files.entries()) expect(entries[i]!.data.equals(data)).toBe(true);
    checkWithSystemTools(zip, files.length);
  });

  it("keeps names inside the archive and refuses duplicates", async () => {
    expect(safeEntryName("../../etc/passwd")).toBe("etc/passwd");
    expect(safeEntryName("/abs\\win\\path.jpg")).toBe("abs/win/path.jpg");
    expect(safeEntryName("a\u0000b.jpg")).toBe("a_b.jpg");
    const zip = new ZipStream();
    void buffer(zip.output);
    await zip.add("a.txt", Buffer.from("1"));
    await expect(zip.add("./a.txt", Buffer.from("2"))).rejects.toThrow(/Duplicate ZIP entry a\.txt/);
  });

  it("GIVEN a reader that does not read THEN the writer waits (memory stays at the buffer), and goes on when it reads", async () => {
    const zip = new ZipStream({ highWaterMark: 64 * 1024 });
    const big = Buffer.alloc(8 * 1024 * 1024, 1);
    let done = false;
    const writing = zip.add("big.bin", Readable.from((function* () {
      for (let i = 0; i < big.length; i += 64 * 1024) yield big.subarray(i, i + 64 * 1024);
    })())).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(done).toBe(false);
    expect(zip.bytesWritten).toBeLessThan(1024 * 1024); // held back near the high-water mark, not 8 MiB
    const out = buffer(zip.output);
    await writing;
    await zip.finish();
    expect(readZip(await out).entries[0]!.data.equals(big)).toBe(true);
  });

  it("GIVEN the reader fails (storage down) THEN the writer stops with that error instead of hanging", async () => {
    const zip = new ZipStream({ highWaterMark: 16 * 1024 });
    const writing = zip.add("big.bin", Readable.from([Buffer.alloc(1024 * 1024)]));
    setTimeout(() => zip.abort(new Error("storage went away")), 20);
    await expect(writing).rejects.toThrow(/storage went away/);
  });
});
