import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { stampProvenance, TRAINED_ALGORITHMIC_MEDIA } from "~/images/provenance.server";

import { exiftoolGate, exiftoolRead } from "./support/exiftool";

const haveExiftool = exiftoolGate("tests/images/provenance.test.ts");
const CREATOR = `Lightbox <test> & "gemini-3.1-flash-image"`;

async function generated(format: "jpeg" | "png" | "webp", variant: "plain" | "alpha" | "lossless" | "with-metadata" = "plain") {
  const channels = variant === "alpha" ? 4 : 3;
  const raw = Buffer.alloc(120 * 80 * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 31 + (i % 7) * 13) % 256;
  let image = sharp(raw, { raw: { width: 120, height: 80, channels } });
  if (variant === "with-metadata") image = image.withXmp(`<x:xmpmeta xmlns:x="adobe:ns:meta/">old</x:xmpmeta>`).withIccProfile("srgb");
  if (format === "jpeg") return image.jpeg({ quality: 90 }).toBuffer();
  if (format === "png") return image.png().toBuffer();
  return image.webp(variant === "lossless" ? { lossless: true } : { quality: 85 }).toBuffer();
}

const cases = [
  ["jpeg", "plain"],
  ["jpeg", "with-metadata"],
  ["png", "plain"],
  ["png", "alpha"],
  ["png", "with-metadata"],
  ["webp", "plain"],
  ["webp", "alpha"],
  ["webp", "lossless"],
  ["webp", "with-metadata"],
] as const;

describe("stampProvenance", () => {
  it.each(cases)("%s (%s): XMP reads back, pixels unchanged, stamping twice leaves one packet", async (format, variant) => {
    const input = await generated(format, variant);
    const once = await stampProvenance(input, format, { creatorTool: CREATOR });
    const twice = await stampProvenance(once, format, { creatorTool: CREATOR });

    for (const stamped of [once, twice]) {
      const meta = await sharp(stamped).metadata();
      expect(meta.format).toBe(format);
      expect(meta.xmpAsString).toContain(`Iptc4xmpExt:DigitalSourceType="${TRAINED_ALGORITHMIC_MEDIA}"`);
      expect(meta.hasAlpha).toBe(variant === "alpha");
      expect(stamped.toString("latin1").split("trainedAlgorithmicMedia").length - 1).toBe(1);
      expect(stamped.includes(Buffer.from(">old<"))).toBe(false);
      const [a, b] = await Promise.all([sharp(input).raw().toBuffer(), sharp(stamped).raw().toBuffer()]);
      expect(a.equals(b), "pixels must be identical").toBe(true);
    }
  });

  it.skipIf(!haveExiftool).each(cases)("%s (%s): exiftool reads DigitalSourceType and CreatorTool", async (format, variant) => {
    const stamped = await stampProvenance(await generated(format, variant), format, { creatorTool: CREATOR });
    const tags = exiftoolRead(stamped, ["-XMP-iptcExt:DigitalSourceType", "-XMP-xmp:CreatorTool"]);
    expect(tags.DigitalSourceType).toBe(TRAINED_ALGORITHMIC_MEDIA);
    expect(tags.CreatorTool).toBe(CREATOR);
    // exiftool validates the container too: no warnings about broken structure.
    const all = exiftoolRead(stamped, ["-a", "-G0", "-validate", "-warning"]);
    expect(all["ExifTool:Warning"] ?? null).toBeNull();
  });

  it("refuses bytes that are not the named format", async () => {
    const png = await generated("png");
    await expect(stampProvenance(png, "jpeg", { creatorTool: "x" })).rejects.toThrow(/JPEG/);
    await expect(stampProvenance(png, "webp", { creatorTool: "x" })).rejects.toThrow(/WebP/);
    await expect(stampProvenance(await generated("jpeg"), "png", { creatorTool: "x" })).rejects.toThrow(/PNG/);
  });
});
