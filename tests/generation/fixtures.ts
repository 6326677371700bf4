// Test photos made on the fly with sharp (no binary fixtures in the repo).

import sharp from "sharp";

import type { ImageData } from "~/generation/provider";

export const PRODUCT_RED: [number, number, number] = [200, 30, 40];

/**
 * A "product shot": a red bottle-like shape with a white label, on a plain light
 * background, product off-centre so tests can see it gets centred.
 */
export async function productOnLightBackground(
  opts: { width?: number; height?: number; background?: string; format?: "jpeg" | "png" } = {},
): Promise<ImageData> {
  const width = opts.width ?? 1200;
  const height = opts.height ?? 1000;
  const bg = opts.background ?? "#ffffff";
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="${bg}"/>
    <rect x="${width * 0.2}" y="${height * 0.25}" width="${width * 0.25}" height="${height * 0.6}" rx="${width * 0.03}"
      fill="rgb(${PRODUCT_RED.join(",")})"/>
    <rect x="${width * 0.24}" y="${height * 0.45}" width="${width * 0.17}" height="${height * 0.15}" fill="#ffffff"/>
  </svg>`;
  const image = sharp(Buffer.from(svg));
  const format = opts.format ?? "jpeg";
  const bytes = format === "png" ? await image.png().toBuffer() : await image.jpeg({ quality: 92 }).toBuffer();
  return { bytes: new Uint8Array(bytes), mimeType: `image/${format}` };
}

/** A photo with a busy, dark background (no removal possible). */
export async function productOnBusyBackground(): Promise<ImageData> {
  const bytes = await sharp({
    create: {
      width: 800,
      height: 600,
      channels: 3,
      background: { r: 40, g: 90, b: 60 },
      noise: { type: "gaussian", mean: 80, sigma: 40 },
    },
  })
    .jpeg()
    .toBuffer();
  return { bytes: new Uint8Array(bytes), mimeType: "image/jpeg" };
}

/** A PNG cut-out with a transparent background. */
export async function transparentProduct(): Promise<ImageData> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600">
    <circle cx="300" cy="300" r="180" fill="rgb(20,60,200)"/></svg>`;
  const bytes = await sharp(Buffer.from(svg)).png().toBuffer();
  return { bytes: new Uint8Array(bytes), mimeType: "image/png" };
}

export async function rawPixels(image: ImageData) {
  const { data, info } = await sharp(image.bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): [number, number, number] => {
    const i = (Math.round(y) * info.width + Math.round(x)) * 3;
    return [data[i]!, data[i + 1]!, data[i + 2]!];
  };
  return { width: info.width, height: info.height, at, data };
}

export function isReddish([r, g, b]: [number, number, number]): boolean {
  return r > 150 && g < 90 && b < 90;
}

/**
 * The offline compositor's result with its product area changed, as a drifting model would:
 * "recolour" turns the product's hue, "label" paints the label over in the product's colour.
 */
export async function alterProductArea(
  image: ImageData,
  box: { left: number; top: number; width: number; height: number },
  how: "recolour" | "label",
): Promise<ImageData> {
  const patch =
    how === "recolour"
      ? await sharp(image.bytes).extract(box).modulate({ hue: 150 }).toBuffer()
      : await sharp({ create: { width: Math.round(box.width * 0.7), height: Math.round(box.height * 0.26), channels: 3, background: { r: PRODUCT_RED[0], g: PRODUCT_RED[1], b: PRODUCT_RED[2] } } })
          .png()
          .toBuffer();
  const at = how === "recolour" ? { left: box.left, top: box.top } : { left: box.left + Math.round(box.width * 0.15), top: box.top + Math.round(box.height * 0.33) };
  const bytes = await sharp(image.bytes).composite([{ input: patch, ...at }]).jpeg({ quality: 90 }).toBuffer();
  return { bytes: new Uint8Array(bytes), mimeType: "image/jpeg" };
}
