import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { readJpegHeader, setJpegXmp, stripJpegMetadata } from "~/images/jpeg";

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

const markers = (jpeg: Buffer) => readJpegHeader(jpeg)!.segments.map((s) => s.marker.toString(16));

async function photo(progressive = false): Promise<Buffer> {
  const raw = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 251;
  return sharp(raw, { raw: { width: 64, height: 48, channels: 3 } }).jpeg({ quality: 85, progressive }).toBuffer();
}

/** Insert a segment right after the first SOS scan (progressive files have several scans). */
function insertBetweenScans(jpeg: Buffer, extra: Buffer): Buffer {
  const sos = readJpegHeader(jpeg)!.sosStart;
  // Find the second SOS marker (0xFFDA) after the first one.
  const second = jpeg.indexOf(Buffer.from([0xff, 0xda]), sos + 2);
  expect(second).toBeGreaterThan(sos);
  return Buffer.concat([jpeg.subarray(0, second), extra, jpeg.subarray(second)]);
}

describe("stripJpegMetadata", () => {
  it("drops APPn (except Adobe APP14) and COM, keeps tables and scans, cuts everything after EOI", async () => {
    const base = await photo();
    const exif = segment(0xe1, Buffer.from("Exif\0\0GPS-is-here"));
    const iptc = segment(0xed, Buffer.from("Photoshop 3.0\0Jane"));
    const com = segment(0xfe, Buffer.from("taken at home"));
    const adobe = segment(0xee, Buffer.from("Adobe\0\x64\0\0\0\0\x01", "latin1"));
    const dirty = Buffer.concat([base.subarray(0, 2), exif, iptc, com, adobe, base.subarray(2), Buffer.from("PK\x03\x04zip!")]);

    const clean = stripJpegMetadata(dirty)!;
    expect(clean).not.toBeNull();
    expect(markers(clean)).not.toContain("e1");
    expect(markers(clean)).not.toContain("ed");
    expect(markers(clean)).not.toContain("fe");
    expect(markers(clean)).not.toContain("e0"); // JFIF goes too: it can carry a thumbnail
    expect(markers(clean)).toContain("ee");
    expect(clean.includes(Buffer.from("GPS-is-here"))).toBe(false);
    expect(clean.includes(Buffer.from("PK\x03\x04"))).toBe(false);
    expect(clean.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    const [a, b] = await Promise.all([sharp(base).raw().toBuffer(), sharp(clean).raw().toBuffer()]);
    expect(a.equals(b)).toBe(true);
  });

  it("handles progressive JPEGs and drops metadata hidden between scans", async () => {
    const base = await photo(true);
    const hidden = insertBetweenScans(base, segment(0xfe, Buffer.from("secret between scans")));
    await expect(sharp(hidden).raw().toBuffer()).resolves.toBeInstanceOf(Buffer); // still a valid JPEG
    const clean = stripJpegMetadata(hidden)!;
    expect(clean.includes(Buffer.from("secret between scans"))).toBe(false);
    const [a, b] = await Promise.all([sharp(base).raw().toBuffer(), sharp(clean).raw().toBuffer()]);
    expect(a.equals(b)).toBe(true);
  });

  it("returns null for truncated or malformed input", async () => {
    const base = await photo();
    expect(stripJpegMetadata(base.subarray(0, base.length - 10))).toBeNull();
    expect(stripJpegMetadata(base.subarray(0, 20))).toBeNull();
    expect(stripJpegMetadata(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01]))).toBeNull();
    expect(stripJpegMetadata(Buffer.from("not a jpeg"))).toBeNull();
  });
});

describe("setJpegXmp", () => {
  it("replaces existing XMP, keeps Exif first and the scan data untouched", async () => {
    const withExif = await sharp(await photo()).withExif({ IFD0: { Software: "camera" } }).withXmp("<x:xmpmeta>old</x:xmpmeta>").jpeg().toBuffer();
    const stamped = setJpegXmp(withExif, "<x:xmpmeta>new</x:xmpmeta>");
    expect(stamped.includes(Buffer.from("old</x:xmpmeta>"))).toBe(false);
    const again = setJpegXmp(stamped, "<x:xmpmeta>newer</x:xmpmeta>");
    const header = readJpegHeader(again)!;
    const isXmp = (s: (typeof header.segments)[number]) =>
      again.subarray(s.payload, s.payload + 28).equals(Buffer.from("http://ns.adobe.com/xap/1.0/"));
    expect(header.segments.filter(isXmp)).toHaveLength(1);
    const exifIndex = header.segments.findIndex((s) => again.subarray(s.payload, s.payload + 4).toString() === "Exif");
    expect(exifIndex).toBeGreaterThanOrEqual(0);
    expect(exifIndex).toBeLessThan(header.segments.findIndex(isXmp));
    expect(again.includes(Buffer.from("<x:xmpmeta>newer</x:xmpmeta>"))).toBe(true);
    expect(again.subarray(header.sosStart).equals(withExif.subarray(readJpegHeader(withExif)!.sosStart))).toBe(true);
  });
});
