import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";

import { ImageRejectedError, ingestImage, type IngestedImageWithThumb as IngestedImage, type IngestOptions } from "~/images/index.server";

import { exiftoolGate, exiftoolRead, personalMetadata } from "./support/exiftool";
import { meanColour } from "./support/pixels";

const CORPUS = path.resolve(__dirname, "../fixtures/images");
const read = (name: string) => readFileSync(path.join(CORPUS, name));
const haveExiftool = exiftoolGate("tests/images/corpus.test.ts");

type Rejected = { reject: ImageRejectedError["code"]; status: 413 | 415 | 422; message: RegExp };
type Accepted = {
  accept: {
    format: IngestedImage["meta"]["format"];
    original: "jpeg" | "png" | "webp";
    size: [number, number];
    display: [number, number];
    thumb: [number, number];
    hasAlpha?: boolean;
    reencoded?: boolean;
  };
  check?: (result: IngestedImage, input: Buffer) => Promise<void> | void;
};
type Row = { file: string; options?: IngestOptions } & (Rejected | Accepted);

const rows: Row[] = [
  // Refused before or while decoding
  { file: "empty.jpg", reject: "EMPTY", status: 422, message: /empty \(0 bytes\).*re-upload/ },
  { file: "truncated.jpg", reject: "CORRUPT", status: 422, message: /damaged or incomplete.*save it again/ },
  { file: "truncated.png", reject: "CORRUPT", status: 422, message: /damaged or incomplete/ },
  { file: "jpeg-magic-then-garbage.jpg", reject: "CORRUPT", status: 422, message: /damaged or incomplete/ },
  {
    file: "bomb-50000x50000.png",
    reject: "TOO_MANY_PIXELS",
    status: 422,
    message: /50000 × 50000 pixels \(2500 megapixels\); the limit is 50 megapixels\. Resize it to at most 7071 × 7071/,
  },
  { file: "html-renamed.jpg", reject: "UNSUPPORTED_FORMAT", status: 415, message: /isn't an image: it is a web page \(HTML\)/ },
  { file: "svg-renamed.jpg", reject: "UNSUPPORTED_FORMAT", status: 415, message: /SVG \(vector\).*Export it as PNG or JPEG/ },
  { file: "pdf-renamed.jpg", reject: "UNSUPPORTED_FORMAT", status: 415, message: /is a PDF file.*Save it as JPEG, PNG or WebP/ },
  { file: "animated.gif", reject: "UNSUPPORTED_FORMAT", status: 415, message: /is a GIF, which isn't supported\. Save it as JPEG, PNG or WebP/ },
  { file: "animated.webp", reject: "ANIMATED", status: 415, message: /animated image \(2 frames\)\. Upload a still photo/ },
  { file: "photo.tiff", reject: "UNSUPPORTED_FORMAT", status: 415, message: /TIFF file, which isn't supported/ },
  { file: "photo.bmp", reject: "UNSUPPORTED_FORMAT", status: 415, message: /BMP file, which isn't supported/ },
  { file: "iphone.heic", reject: "UNSUPPORTED_FORMAT", status: 415, message: /HEIC photo.*can't read.*Export it as JPEG.*Most Compatible/ },
  { file: "one-pixel.png", reject: "TOO_SMALL", status: 422, message: /only 1 × 1 pixels\. Upload a photo at least 16 pixels/ },

  // Accepted and normalised
  {
    file: "valid-photo.jpg",
    accept: { format: "jpeg", original: "jpeg", size: [1600, 1200], display: [1600, 1200], thumb: [400, 300], reencoded: false },
  },
  {
    file: "huge-allowed-8000x6000.jpg",
    accept: { format: "jpeg", original: "jpeg", size: [8000, 6000], display: [2048, 1536], thumb: [400, 300], reencoded: false },
  },
  {
    // Declared type is ignored for detection, but the mismatch is reported.
    file: "png-declared-as-jpeg.png",
    options: { declaredType: "image/jpeg", filename: "photo.jpg" },
    accept: { format: "png", original: "png", size: [500, 400], display: [500, 400], thumb: [400, 320] },
    check: (r) => expect(r.meta.declaredTypeMismatch).toBe(true),
  },
  {
    file: "orientation-6-gps.jpg",
    accept: { format: "jpeg", original: "jpeg", size: [400, 600], display: [400, 600], thumb: [267, 400], reencoded: true },
    check: async (r) => {
      expect(r.meta.orientationApplied).toBe(6);
      // Stored 600x400 with red left / blue right; rotated 90° clockwise red must be on top.
      for (const bytes of [r.original.bytes, r.display.bytes, r.thumb.bytes]) {
        const [topR, , topB] = await meanColour(bytes, { left: 0, top: 0, width: 1, height: 0.4 });
        const [bottomR, , bottomB] = await meanColour(bytes, { left: 0, top: 0.6, width: 1, height: 0.4 });
        expect(topR).toBeGreaterThan(180);
        expect(topB).toBeLessThan(40);
        expect(bottomB).toBeGreaterThan(180);
        expect(bottomR).toBeLessThan(40);
        expect((await sharp(bytes).metadata()).orientation).toBeUndefined();
      }
    },
  },
  {
    file: "gps-exif-xmp-iptc.jpg",
    accept: { format: "jpeg", original: "jpeg", size: [800, 600], display: [800, 600], thumb: [400, 300], reencoded: false },
    check: async (r, input) => {
      expect(r.meta.iccProfileIn).toBe("sRGB");
      // The fixture really carries what we strip (otherwise this row proves nothing).
      if (haveExiftool) {
        const before = exiftoolRead(input);
        expect(before["EXIF:GPSLatitude"]).toBeCloseTo(52.52, 2);
        expect(before["XMP:Creator"]).toBe("Jane Doe");
        expect(before["IPTC:By-line"]).toBe("Jane Doe");
        expect(personalMetadata(before)).toEqual(expect.arrayContaining(["EXIF:GPSLatitude", "EXIF:Artist", "XMP:Creator", "IPTC:By-line"]));
      }
      // Lossless path: same compressed scan data, so identical pixels.
      const a = await sharp(input).raw().toBuffer();
      const b = await sharp(r.original.bytes).raw().toBuffer();
      expect(a.equals(b)).toBe(true);
    },
  },
  {
    file: "polyglot-jpeg-zip.jpg",
    accept: { format: "jpeg", original: "jpeg", size: [640, 480], display: [640, 480], thumb: [400, 300], reencoded: false },
    check: (r, input) => {
      expect(input.includes(Buffer.from("PK\u0003\u0004", "latin1"))).toBe(true);
      for (const out of [r.original, r.display, r.thumb]) {
        expect(out.bytes.includes(Buffer.from("PK\u0003\u0004", "latin1"))).toBe(false);
        expect(out.bytes.includes(Buffer.from("<script"))).toBe(false);
      }
      expect(r.original.bytes.subarray(-2).equals(Buffer.from([0xff, 0xd9]))).toBe(true);
    },
  },
  {
    file: "polyglot-jpeg-html.jpg",
    accept: { format: "jpeg", original: "jpeg", size: [640, 480], display: [640, 480], thumb: [400, 300], reencoded: false },
    check: (r) => {
      for (const out of [r.original, r.display, r.thumb]) expect(out.bytes.includes(Buffer.from("<script"))).toBe(false);
    },
  },
  {
    file: "cmyk.jpg",
    accept: { format: "jpeg", original: "jpeg", size: [300, 200], display: [300, 200], thumb: [300, 200], reencoded: true },
    check: async (r) => {
      expect(r.meta.colourSpaceIn).toBe("cmyk");
      const [red, green, blue] = await meanColour(r.original.bytes);
      expect(red).toBeGreaterThan(150);
      expect(green).toBeLessThan(90);
      expect(blue).toBeLessThan(90);
    },
  },
  {
    file: "display-p3.jpg",
    accept: { format: "jpeg", original: "jpeg", size: [400, 300], display: [400, 300], thumb: [400, 300], reencoded: true },
    check: async (r, input) => {
      expect(r.meta.iccProfileIn).not.toMatch(/sRGB/);
      // Converted, not just relabelled: the sRGB values differ from the raw P3 numbers.
      const raw = await meanColour(input, undefined, { ignoreIcc: true });
      const out = await meanColour(r.original.bytes);
      expect(Math.max(...raw.map((v, i) => Math.abs(v - (out[i] ?? 0))))).toBeGreaterThan(3);
    },
  },
  {
    file: "rgb16.png",
    accept: { format: "png", original: "png", size: [256, 128], display: [256, 128], thumb: [256, 128] },
    check: async (r) => {
      expect(r.meta.colourSpaceIn).toBe("rgb16");
      const m = await sharp(r.original.bytes).metadata();
      expect(m.depth).toBe("uchar");
      expect(m.bitsPerSample).toBe(8);
    },
  },
  {
    file: "grayscale.jpg",
    accept: { format: "jpeg", original: "jpeg", size: [500, 500], display: [500, 500], thumb: [400, 400], reencoded: true },
    check: (r) => expect(r.meta.colourSpaceIn).toBe("b-w"),
  },
  {
    file: "alpha.png",
    accept: { format: "png", original: "png", size: [300, 200], display: [300, 200], thumb: [300, 200], hasAlpha: true },
    check: async (r) => {
      for (const bytes of [r.original.bytes, r.display.bytes]) {
        const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
        expect(info.channels).toBe(4);
        expect(data[3]).toBe(255); // left half opaque
        expect(data[(info.width - 1) * 4 + 3]).toBe(0); // right half transparent
      }
    },
  },
  { file: "photo.webp", accept: { format: "webp", original: "webp", size: [900, 600], display: [900, 600], thumb: [400, 267] } },
  { file: "photo.avif", accept: { format: "avif", original: "jpeg", size: [640, 480], display: [640, 480], thumb: [400, 300] } },
  { file: "tiny-16x16.png", accept: { format: "png", original: "png", size: [16, 16], display: [16, 16], thumb: [16, 16] } },
];

async function expectClean(result: IngestedImage, row: Accepted): Promise<void> {
  const outputs = [
    { name: "original", r: result.original, format: row.accept.original },
    { name: "display", r: result.display, format: "webp" },
    { name: "thumb", r: result.thumb, format: "webp" },
  ] as const;
  for (const { name, r, format } of outputs) {
    const m = await sharp(r.bytes).metadata();
    expect(m.format, name).toBe(format);
    expect([m.width, m.height], name).toEqual([r.width, r.height]);
    expect(m.space, name).toBe("srgb");
    expect(m.channels, name).toBe(row.accept.hasAlpha ? 4 : 3);
    expect(m.exif, `${name} EXIF`).toBeUndefined();
    expect(m.xmp, `${name} XMP`).toBeUndefined();
    expect(m.iptc, `${name} IPTC`).toBeUndefined();
    expect(m.orientation, `${name} orientation`).toBeUndefined();
    expect(m.hasProfile, `${name} ICC (untagged = sRGB)`).toBe(false);
    if (haveExiftool) expect(personalMetadata(exiftoolRead(r.bytes)), `${name} metadata per exiftool`).toEqual([]);
  }
}

describe("hostile image corpus", () => {
  it.each(rows.map((row) => [row.file, row] as const))("%s", async (file, row) => {
    const input = read(file);
    const run = ingestImage(input, { filename: file, ...row.options });
    if ("reject" in row) {
      const error = await run.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, `${file} should be refused`).toBeInstanceOf(ImageRejectedError);
      const rejection = error as ImageRejectedError;
      expect({ code: rejection.code, status: rejection.httpStatus }).toEqual({ code: row.reject, status: row.status });
      expect(rejection.message).toMatch(row.message);
      expect(rejection.message).toContain(`“${file}”`);
      return;
    }
    const result = await run;
    const a = row.accept;
    expect(result.meta).toMatchObject({
      format: a.format,
      width: a.size[0],
      height: a.size[1],
      bytes: input.length,
      sha256: createHash("sha256").update(input).digest("hex"),
      hasAlpha: a.hasAlpha ?? false,
    });
    if (a.reencoded !== undefined) expect(result.meta.originalReencoded).toBe(a.reencoded);
    expect(result.original.format).toBe(a.original);
    expect(result.original.contentType).toBe(`image/${a.original}`);
    expect([result.original.width, result.original.height]).toEqual(a.size);
    expect([result.display.width, result.display.height]).toEqual(a.display);
    expect([result.thumb.width, result.thumb.height]).toEqual(a.thumb);
    await expectClean(result, row);
    await row.check?.(result, input);
  });

  it("gives every file the same outcome when all are ingested at once (libvips errors are process-wide)", async () => {
    const outcome = (row: Row) =>
      ingestImage(read(row.file), { filename: row.file, ...row.options }).then(
        (r) => `accepted ${r.meta.format} ${r.meta.width}x${r.meta.height}`,
        (e: unknown) => (e instanceof ImageRejectedError ? e.code : `unexpected ${String(e)}`),
      );
    const expected = rows.map((row) => ("reject" in row ? row.reject : `accepted ${row.accept.format} ${row.accept.size.join("x")}`));
    for (let round = 0; round < 3; round++) {
      const all = [...rows, ...rows];
      const got = await Promise.all(all.map(outcome));
      expect(got).toEqual([...expected, ...expected]);
    }
  });

  it("the corpus has at least 20 files and every one has a row", async () => {
    const { readdirSync } = await import("node:fs");
    const files = readdirSync(CORPUS).filter((f) => !f.endsWith(".ts"));
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files.sort()).toEqual(rows.map((r) => r.file).sort());
  });
});

describe("size and pixel limits", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "lightbox-corpus-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("refuses a 100 MB upload by its size, before looking at its content", async () => {
    // A real JPEG start followed by 100 MB: generated here, never committed.
    const file = path.join(tmp, "huge-100mb.jpg");
    const big = Buffer.alloc(100 * 1024 * 1024);
    read("valid-photo.jpg").copy(big);
    writeFileSync(file, big);
    const upload = readFileSync(file);
    const started = performance.now();
    const error = await ingestImage(upload, { filename: "holiday.jpg" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageRejectedError);
    expect(error).toMatchObject({ code: "TOO_LARGE", httpStatus: 413 });
    expect((error as Error).message).toMatch(/“holiday\.jpg” is 100 MB; the limit is 25 MB\. Export the photo as a JPEG/);
    // Size is checked first: no hashing or decoding of 100 MB (those take far longer than this).
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("limits are configurable", async () => {
    await expect(ingestImage(read("valid-photo.jpg"), { limits: { maxBytes: 100_000 } })).rejects.toMatchObject({
      code: "TOO_LARGE",
      message: expect.stringMatching(/^This file is 0\.5 MB; the limit is 0\.1 MB/),
    });
    await expect(ingestImage(read("valid-photo.jpg"), { limits: { maxPixels: 1_000_000 } })).rejects.toMatchObject({
      code: "TOO_MANY_PIXELS",
      httpStatus: 422,
      message: expect.stringMatching(/1600 × 1200 pixels \(1\.9 megapixels\); the limit is 1 megapixels\. Resize it to at most 1154 × 866/),
    });
    const tiny = await ingestImage(read("one-pixel.png"), { limits: { minSide: 0 } });
    expect([tiny.display.width, tiny.thumb.width]).toEqual([1, 1]);
    // 48 MP passes the default 50 MP limit, fails a 40 MP one.
    await expect(ingestImage(read("huge-allowed-8000x6000.jpg"), { limits: { maxPixels: 40_000_000 } })).rejects.toMatchObject({
      code: "TOO_MANY_PIXELS",
    });
  });

  it("goes by the bytes, never the name or declared type", async () => {
    const html = await ingestImage(read("html-renamed.jpg"), { declaredType: "image/jpeg", filename: "photo.jpg" }).catch((e: unknown) => e);
    expect(html).toMatchObject({ code: "UNSUPPORTED_FORMAT", detectedFormat: "html" });
    const png = await ingestImage(read("valid-photo.jpg"), { declaredType: "image/png", filename: "x.png" });
    expect(png.meta).toMatchObject({ format: "jpeg", declaredTypeMismatch: true });
    const same = await ingestImage(read("valid-photo.jpg"), { declaredType: "image/jpeg" });
    expect(same.meta.declaredTypeMismatch).toBe(false);
  });
});

describe("what the bundled libvips can read", () => {
  it("reads AVIF (so AVIF uploads are accepted and stored as JPEG)", async () => {
    expect(sharp.format.heif.input.buffer).toBe(true);
    const m = await sharp(read("photo.avif")).metadata();
    expect(m.compression).toBe("av1");
    await expect(sharp(read("photo.avif")).raw().toBuffer()).resolves.toBeInstanceOf(Buffer);
  });

  it("cannot decode HEVC, which is why HEIC is refused with 415", async () => {
    // If this starts failing, sharp's libvips gained an HEVC decoder: replace iphone.heic with a
    // real HEIC photo and move its corpus row to the accepted ones.
    const decode = sharp(read("iphone.heic")).raw().toBuffer();
    await expect(decode).rejects.toThrow(/HEVC|not been built in|plugin/i);
  });
});
