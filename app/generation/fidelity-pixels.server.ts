// The fidelity check of the offline compositor's results, without AI: the compositor knows where it
// placed the product, so that area of the result is compared with the source's cut-out, scaled the
// same way (mean colour distance, the share of changed pixels, and the structure of the luminance).
import sharp from "sharp";

import type { FidelityVerdict, ImageData, ProductBox } from "./provider";

export const PIXEL_CHECK_VERSION = "pixel-compare-1";

/** The product as the compositor would place it: RGBA pixels, pw x ph, at (left, top) of the frame. */
export interface ReferenceProduct {
  product: Buffer;
  pw: number;
  ph: number;
  left: number;
  top: number;
}

/** Comparisons run at most this many pixels on the long side (fast, and JPEG noise averages out). */
const COMPARE_SIDE = 256;
/** A pixel of the product counts as changed beyond this RGB distance. */
const CHANGED_DISTANCE = 48;

const clamp = (v: number) => Math.max(0, Math.min(100, v));
const hex = (rgb: number[]) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/**
 * Compares the product area of `result` (a frame of `frame` size; resized to it when stored at
 * another size) with `reference`. Score 100: the same pixels; below ~70: a shopper would see it.
 */
export async function compareProductArea(input: {
  result: ImageData;
  frame: { width: number; height: number };
  reference: ReferenceProduct;
  /** Where the compositor reported the product; a different place is drift in itself. */
  placement?: ProductBox;
}): Promise<FidelityVerdict> {
  const { reference, frame } = input;
  const verdict = (score: number, reasons: string[]): FidelityVerdict => ({ score: Math.round(clamp(score)), reasons, method: "pixels", model: PIXEL_CHECK_VERSION });
  const reasons: string[] = [];
  const placed = input.placement;
  const moved =
    !!placed &&
    (Math.abs(placed.left - reference.left) > reference.pw * 0.02 ||
      Math.abs(placed.top - reference.top) > reference.ph * 0.02 ||
      Math.abs(placed.width - reference.pw) > reference.pw * 0.02 ||
      Math.abs(placed.height - reference.ph) > reference.ph * 0.02);
  if (moved) {
    reasons.push("The product is not where (or not as large as) it is in the source photo.");
  }

  const scale = Math.min(1, COMPARE_SIDE / Math.max(reference.pw, reference.ph));
  const w = Math.max(1, Math.round(reference.pw * scale));
  const h = Math.max(1, Math.round(reference.ph * scale));
  const meta = await sharp(input.result.bytes).metadata();
  let framed = sharp(input.result.bytes).removeAlpha().toColourspace("srgb");
  if (meta.width !== frame.width || meta.height !== frame.height) {
    framed = sharp(await framed.resize(frame.width, frame.height, { fit: "fill" }).toBuffer());
  }
  const [expected, actual] = await Promise.all([
    sharp(reference.product, { raw: { width: reference.pw, height: reference.ph, channels: 4 } }).resize(w, h, { fit: "fill" }).raw().toBuffer(),
    framed
      .extract({ left: reference.left, top: reference.top, width: reference.pw, height: reference.ph })
      .resize(w, h, { fit: "fill" })
      .removeAlpha()
      .raw()
      .toBuffer(),
  ]);

  // Only where the product is solid: its soft edge mixes with the backdrop and the shadow.
  let n = 0;
  let distanceSum = 0;
  let changed = 0;
  const meanExpected = [0, 0, 0];
  const meanActual = [0, 0, 0];
  const lumExpected: number[] = [];
  const lumActual: number[] = [];
  for (let p = 0; p < w * h; p++) {
    if (expected[p * 4 + 3]! < 250) continue;
    const e = [expected[p * 4]!, expected[p * 4 + 1]!, expected[p * 4 + 2]!];
    const a = [actual[p * 3]!, actual[p * 3 + 1]!, actual[p * 3 + 2]!];
    const d = Math.hypot(e[0]! - a[0]!, e[1]! - a[1]!, e[2]! - a[2]!);
    distanceSum += d;
    if (d > CHANGED_DISTANCE) changed++;
    for (let c = 0; c < 3; c++) {
      meanExpected[c]! += e[c]!;
      meanActual[c]! += a[c]!;
    }
    lumExpected.push(0.2126 * e[0]! + 0.7152 * e[1]! + 0.0722 * e[2]!);
    lumActual.push(0.2126 * a[0]! + 0.7152 * a[1]! + 0.0722 * a[2]!);
    n++;
  }
  if (n < 16) return verdict(moved ? 50 : 100, reasons);
  for (let c = 0; c < 3; c++) {
    meanExpected[c] = meanExpected[c]! / n;
    meanActual[c] = meanActual[c]! / n;
  }
  const meanDistance = distanceSum / n;
  const changedShare = changed / n;
  const structure = correlation(lumExpected, lumActual);

  const colourScore = 100 - Math.max(0, meanDistance - 3) * 0.8;
  const changedScore = 100 - changedShare * 300;
  const structureScore = structure >= 0.97 ? 100 : 100 - (0.97 - structure) * 250;
  const shift = Math.hypot(meanExpected[0]! - meanActual[0]!, meanExpected[1]! - meanActual[1]!, meanExpected[2]! - meanActual[2]!);
  if (shift > 20) reasons.push(`The product's colour differs from the source photo (on average ${hex(meanActual)} instead of ${hex(meanExpected)}).`);
  if (changedShare > 0.05) reasons.push(`About ${Math.round(changedShare * 100)}% of the product looks different from the source photo (label, logo or shape).`);
  if (structureScore < 85) reasons.push("The product's shape or details (label text, logo) do not match the source photo.");
  const score = Math.min(colourScore, changedScore, structureScore);
  return verdict(moved ? Math.min(score, 50) : score, reasons);
}

/** Pearson correlation of the luminance (1: the same structure). */
function correlation(x: number[], y: number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // A flat product has no structure to compare (its colour and changed pixels still count).
  if (sxx < 9 * n) return 1;
  if (syy < 1e-6 * n) return 0;
  return sxy / Math.sqrt(sxx * syy);
}
