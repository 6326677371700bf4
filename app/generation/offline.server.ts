// Offline provider: NO AI. Places the first source photo on a painted preset backdrop with
// a soft shadow, at the requested aspect ratio and resolution. Used without a Gemini key,
// in development and in tests; results are labelled as such.

import { randomUUID } from "node:crypto";

import sharp, { type OutputInfo } from "sharp";

import { GenerationError } from "./errors";
import { compareProductArea } from "./fidelity-pixels.server";
import { exactOutputSize } from "./models";
import { type Backdrop, DEFAULT_PRESET_ID, getPreset } from "./presets";
import {
  ALT_TEXT_MAX_LENGTH,
  type AltTextRequest,
  type FidelityRequest,
  type FidelityVerdict,
  type GenerateOptions,
  type GenerateRequest,
  type GenerateResult,
  type ImageData,
  type ImageProvider,
  truncateAtWord,
  validateGenerateRequest,
} from "./provider";

export type OutputFormat = "jpeg" | "png" | "webp";

export interface OfflineProviderOptions {
  /** Output encoding. Default "jpeg". */
  format?: OutputFormat;
  /** JPEG/WebP quality. Default 90. */
  quality?: number;
  /** Backdrop used when the request names no (known) preset. */
  defaultPresetId?: string;
}

export const OFFLINE_MODEL_VERSION = "offline-compositor-1";

const PAINT_LONG_SIDE = 512;

/** Product bounding box as a share of the frame (the rest is margin). */
const PRODUCT_SHARE = 0.72;

// ---------------------------------------------------------------------------------------
// Small deterministic helpers

type Rgb = [number, number, number];

function hexToRgb(hex: string): Rgb {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return [255, 255, 255];
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const smooth = (t: number) => t * t * (3 - 2 * t);
const clamp01 = (t: number) => (t < 0 ? 0 : t > 1 ? 1 : t);

/**
 * Fractal value noise baked into a grid once; `sample(u, v)` (u, v in [0, 1]) is then a
 * cheap bilinear lookup, which keeps per-pixel painting fast.
 */
function makeNoiseField(random: () => number, size = 128, cells = 6, octaves = 4) {
  const field = new Float32Array(size * size);
  let amp = 0.5;
  let norm = 0;
  for (let o = 0; o < octaves; o++) {
    const n = cells * 2 ** o + 1;
    const lattice = new Float32Array(n * n);
    for (let i = 0; i < lattice.length; i++) lattice[i] = random();
    for (let y = 0; y < size; y++) {
      const ly = (y / (size - 1)) * (n - 1);
      const y0 = Math.min(n - 2, Math.floor(ly));
      const fy = smooth(ly - y0);
      for (let x = 0; x < size; x++) {
        const lx = (x / (size - 1)) * (n - 1);
        const x0 = Math.min(n - 2, Math.floor(lx));
        const fx = smooth(lx - x0);
        const i = y0 * n + x0;
        const a = lattice[i]!;
        const b = lattice[i + 1]!;
        const c = lattice[i + n]!;
        const d = lattice[i + n + 1]!;
        field[y * size + x]! += amp * (a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy);
      }
    }
    norm += amp;
    amp *= 0.5;
  }
  for (let i = 0; i < field.length; i++) field[i] = field[i]! / norm;
  const last = size - 1;
  return (u: number, v: number): number => {
    const x = clamp01(u) * last;
    const y = clamp01(v) * last;
    const x0 = Math.min(last - 1, x | 0);
    const y0 = Math.min(last - 1, y | 0);
    const fx = x - x0;
    const fy = y - y0;
    const i = y0 * size + x0;
    const a = field[i]!;
    const b = field[i + 1]!;
    const c = field[i + size]!;
    const d = field[i + size + 1]!;
    return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
  };
}

/** In-place box blur (3 passes ~ Gaussian with the given sigma) of a one-channel image. */
export function gaussianishBlur(data: Uint8Array, width: number, height: number, sigma: number): void {
  const radius = Math.max(1, Math.round((Math.sqrt((12 * sigma * sigma) / 3 + 1) - 1) / 2));
  const inv = 1 / (2 * radius + 1);
  const tmp = new Uint8Array(data.length);
  const columns = new Float64Array(width);
  const lastX = width - 1;
  const lastY = height - 1;
  for (let pass = 0; pass < 3; pass++) {
    // Horizontal: data -> tmp (edges clamp).
    for (let y = 0; y < height; y++) {
      const row = y * width;
      let sum = data[row]! * (radius + 1);
      for (let k = 1; k <= radius; k++) sum += data[row + (k < width ? k : lastX)]!;
      for (let x = 0; x < width; x++) {
        tmp[row + x] = (sum * inv + 0.5) | 0;
        const add = x + radius + 1;
        const sub = x - radius;
        sum += data[row + (add < width ? add : lastX)]! - data[row + (sub > 0 ? sub : 0)]!;
      }
    }
    // Vertical: tmp -> data, row by row with running column sums (cache friendly).
    for (let x = 0; x < width; x++) {
      let sum = tmp[x]! * (radius + 1);
      for (let k = 1; k <= radius; k++) sum += tmp[(k < height ? k : lastY) * width + x]!;
      columns[x] = sum;
    }
    for (let y = 0; y < height; y++) {
      const row = y * width;
      const addRow = (y + radius + 1 < height ? y + radius + 1 : lastY) * width;
      const subRow = (y - radius > 0 ? y - radius : 0) * width;
      for (let x = 0; x < width; x++) {
        const sum = columns[x]!;
        data[row + x] = (sum * inv + 0.5) | 0;
        columns[x] = sum + tmp[addRow + x]! - tmp[subRow + x]!;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Backdrop painting

export interface PaintedBackdrop {
  /** Raw RGB at paint size (scaled up to the frame in the final composite). */
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Paints a backdrop as raw RGB at <= 512 px on the long side; the caller scales it up.
 * Backdrops are soft by design (like an out-of-focus background), which keeps every
 * resolution fast.
 */
export function paintBackdrop(backdrop: Backdrop, frameWidth: number, frameHeight: number, seed: number): PaintedBackdrop {
  const scale = Math.min(1, PAINT_LONG_SIDE / Math.max(frameWidth, frameHeight));
  const pw = Math.max(1, Math.round(frameWidth * scale));
  const ph = Math.max(1, Math.round(frameHeight * scale));
  const out = Buffer.alloc(pw * ph * 3);
  const random = mulberry32(seed);
  const noise = makeNoiseField(random);
  const noise2 = makeNoiseField(random);
  const wallTop = hexToRgb(backdrop.wall[0]);
  const wallBottom = hexToRgb(backdrop.wall[1]);
  const surface = backdrop.surface;
  const horizon = surface ? surface.horizon : 2;
  const surfTop = surface ? hexToRgb(surface.colors[0]) : wallTop;
  const surfBottom = surface ? hexToRgb(surface.colors[1]) : wallBottom;
  const glow = backdrop.glow ?? 0;
  const texture = backdrop.texture;
  const texColor = texture ? hexToRgb(texture.color) : wallTop;
  const edge = 0.012; // soft horizon, like a shallow depth of field
  const aspect = pw / ph;

  // Separable parts of the light glow (centred, slightly above the middle).
  const glowX = new Float32Array(pw);
  const gx2 = new Float32Array(pw);
  for (let x = 0; x < pw; x++) {
    const gx = ((x + 0.5) / pw - 0.5) * aspect;
    gx2[x] = gx * gx;
    glowX[x] = Math.exp(-(gx * gx) / 0.12);
  }

  for (let y = 0; y < ph; y++) {
    const v = (y + 0.5) / ph;
    // Row colour: wall gradient, blended into the surface across a soft horizon.
    const tWall = surface ? clamp01(v / horizon) : v;
    let rr = wallTop[0] + (wallBottom[0] - wallTop[0]) * tWall;
    let rg = wallTop[1] + (wallBottom[1] - wallTop[1]) * tWall;
    let rb = wallTop[2] + (wallBottom[2] - wallTop[2]) * tWall;
    const onSurface = surface ? clamp01((v - horizon + edge) / (2 * edge)) : 0;
    if (onSurface > 0) {
      const ts = clamp01((v - horizon) / (1 - horizon));
      rr += (surfTop[0] + (surfBottom[0] - surfTop[0]) * ts - rr) * onSurface;
      rg += (surfTop[1] + (surfBottom[1] - surfTop[1]) * ts - rg) * onSurface;
      rb += (surfTop[2] + (surfBottom[2] - surfTop[2]) * ts - rb) * onSurface;
    }
    const textured = texture !== undefined && (texture.area === "all" || onSurface > 0);
    const texWeight = texture ? (texture.area === "all" ? 1 : onSurface) * texture.strength : 0;
    const vs = surface ? clamp01((v - horizon) / (1 - horizon)) : v;
    const gy = v - 0.45;
    const glowY = glow * Math.exp(-(gy * gy) / 0.12);
    const linenY = Math.abs(Math.sin(y * 1.3));

    for (let x = 0; x < pw; x++) {
      const u = (x + 0.5) / pw;
      let r = rr;
      let g = rg;
      let b = rb;
      if (textured) {
        let t: number;
        if (texture.kind === "marble") {
          const s1 = 1 - Math.abs(Math.sin((u * 1.6 + v * 2.4 + noise(u, v) * 1.5) * Math.PI * 2));
          const s2 = s1 * s1;
          const s4 = s2 * s2;
          t = s4 * s4 * s4 * s2 * 0.9 + (noise2(u, v) - 0.5) * 0.12;
        } else if (texture.kind === "wood") {
          const ring = 0.5 + 0.5 * Math.sin((vs * 26 + noise(u * 0.35, vs) * 7 + u * 0.8) * Math.PI * 2);
          const r2 = ring * ring;
          t = r2 * r2 * 0.8 + (noise2(u, vs * 0.2) - 0.5) * 0.3;
        } else {
          const weave = Math.abs(Math.sin(x * 1.3)) * 0.5 + linenY * 0.5;
          t = weave * 0.45 + (noise(u, v) - 0.5) * 0.6;
        }
        const k = clamp01(t) * texWeight;
        r += (texColor[0] - r) * k;
        g += (texColor[1] - g) * k;
        b += (texColor[2] - b) * k;
      }
      if (glow > 0) {
        const gl = glowY * glowX[x]!;
        r += (255 - r) * gl;
        g += (255 - g) * gl;
        b += (255 - b) * gl;
      }
      const dist2 = gx2[x]! + gy * gy;
      const vignette = 1 - 0.07 * (dist2 > 0.5 ? 1 : dist2 / 0.5);
      const i = (y * pw + x) * 3;
      out[i] = r * vignette;
      out[i + 1] = g * vignette;
      out[i + 2] = b * vignette;
    }
  }

  // Out-of-focus light dots on the wall, each painted over its own bounding box.
  const bokeh = backdrop.bokeh;
  for (let k = 0; bokeh && k < bokeh.count; k++) {
    const d = {
      x: random(),
      y: random() * Math.min(1, horizon) * 0.9,
      r: (0.02 + random() * 0.045) * Math.min(1, 1 / aspect) * 1.2,
      color: hexToRgb(bokeh.colors[Math.floor(random() * bokeh.colors.length)]!),
      alpha: 0.18 + random() * 0.3,
    };
    const ry = d.r * 1.15;
    const rx = ry / aspect;
    const y0 = Math.max(0, Math.floor((d.y - ry) * ph));
    const y1 = Math.min(ph - 1, Math.ceil((d.y + ry) * ph));
    const x0 = Math.max(0, Math.floor((d.x - rx) * pw));
    const x1 = Math.min(pw - 1, Math.ceil((d.x + rx) * pw));
    for (let y = y0; y <= y1; y++) {
      const v = (y + 0.5) / ph;
      const wallShare = surface ? 1 - clamp01((v - horizon + edge) / (2 * edge)) : 1;
      if (wallShare <= 0) continue;
      for (let x = x0; x <= x1; x++) {
        const dx = ((x + 0.5) / pw - d.x) * aspect;
        const dy = v - d.y;
        const dist = Math.sqrt(dx * dx + dy * dy) / d.r;
        if (dist >= 1.15) continue;
        const a = d.alpha * clamp01((1.15 - dist) / 0.3) * wallShare;
        const i = (y * pw + x) * 3;
        out[i] = out[i]! + (d.color[0] - out[i]!) * a;
        out[i + 1] = out[i + 1]! + (d.color[1] - out[i + 1]!) * a;
        out[i + 2] = out[i + 2]! + (d.color[2] - out[i + 2]!) * a;
      }
    }
  }
  return { data: out, width: pw, height: ph };
}

// ---------------------------------------------------------------------------------------
// Product cut-out

export interface Cutout {
  data: Buffer; // RGBA
  width: number;
  height: number;
  /** "alpha": the photo had transparency; "removed": plain light background was removed. */
  mode: "alpha" | "removed" | "none";
}

/**
 * Decodes the photo, and if it has a plain light background (most of its border is
 * near one light colour), makes that background transparent: pixels close to the border
 * colour and connected to the border become transparent, with a soft ramp and a feathered
 * edge. White areas inside the product (labels) are not connected to the border and stay.
 */
export async function cutOutProduct(bytes: Uint8Array, maxSide: number): Promise<Cutout> {
  let decoded: { data: Buffer; info: OutputInfo };
  let hadAlpha = false;
  try {
    const image = sharp(bytes, { failOn: "none", limitInputPixels: 100_000_000 }).rotate();
    const meta = await image.metadata();
    hadAlpha = meta.hasAlpha === true;
    decoded = await image
      .resize(maxSide, maxSide, { fit: "inside", withoutEnlargement: true })
      .toColourspace("srgb")
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new GenerationError("INVALID_INPUT", {
      message: "The source photo could not be read. Upload it again as JPEG, PNG or WebP.",
      detail: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
  const { width, height } = decoded.info;
  const data = decoded.data;
  const n = width * height;

  // Border statistics.
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(x, (height - 1) * width + x);
  for (let y = 1; y < height - 1; y++) border.push(y * width, y * width + width - 1);
  let transparent = 0;
  let light = 0;
  const lightPixels: Rgb[] = [];
  for (const p of border) {
    const i = p * 4;
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    if (data[i + 3]! < 16) transparent++;
    const min = Math.min(r, g, b);
    const max = Math.max(r, g, b);
    if (min >= 195 && max - min <= 30) {
      light++;
      lightPixels.push([r, g, b]);
    }
  }
  if (hadAlpha && transparent >= border.length * 0.5) {
    return { data, width, height, mode: "alpha" };
  }
  if (light < border.length * 0.85) {
    return { data, width, height, mode: "none" };
  }

  // Background colour: per-channel median of the light border pixels.
  const median = (c: 0 | 1 | 2) => {
    const values = lightPixels.map((p) => p[c]).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? 255;
  };
  const bg: Rgb = [median(0), median(1), median(2)];
  const hard = 14; // <= this distance: fully background
  const soft = 42; // <= this distance: reachable, partially transparent

  const distance = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const i = p * 4;
    const dr = data[i]! - bg[0];
    const dg = data[i + 1]! - bg[1];
    const db = data[i + 2]! - bg[2];
    const d = Math.max(dr < 0 ? -dr : dr, dg < 0 ? -dg : dg, db < 0 ? -db : db);
    distance[p] = d > 255 ? 255 : d;
  }

  // Which background is connected to the border: flood fill on a coarse grid (<= 320 px,
  // nearest samples), dilated by one cell so the full-resolution edge decides the rest.
  const f = Math.min(1, 320 / Math.max(width, height));
  const lw = Math.max(1, Math.round(width * f));
  const lh = Math.max(1, Math.round(height * f));
  const ln = lw * lh;
  const cellOf = (x: number, y: number) =>
    Math.min(height - 1, Math.floor(((y + 0.5) * height) / lh)) * width +
    Math.min(width - 1, Math.floor(((x + 0.5) * width) / lw));
  const coarse = new Uint8Array(ln);
  for (let y = 0; y < lh; y++) for (let x = 0; x < lw; x++) coarse[y * lw + x] = distance[cellOf(x, y)]!;
  const visited = new Uint8Array(ln);
  const stack = new Int32Array(ln);
  let top = 0;
  const reach = hard + 8; // the flood continues only through clearly-background cells
  const push = (q: number) => {
    if (!visited[q] && coarse[q]! <= reach) {
      visited[q] = 1;
      stack[top++] = q;
    }
  };
  for (let x = 0; x < lw; x++) {
    push(x);
    push((lh - 1) * lw + x);
  }
  for (let y = 0; y < lh; y++) {
    push(y * lw);
    push(y * lw + lw - 1);
  }
  while (top > 0) {
    const q = stack[--top]!;
    const x = q % lw;
    if (x > 0) push(q - 1);
    if (x < lw - 1) push(q + 1);
    if (q >= lw) push(q - lw);
    if (q + lw < ln) push(q + lw);
  }
  const near = new Uint8Array(ln);
  for (let q = 0; q < ln; q++) {
    if (!visited[q]) continue;
    const x = q % lw;
    near[q] = 1;
    if (x > 0) near[q - 1] = 1;
    if (x < lw - 1) near[q + 1] = 1;
    if (q >= lw) near[q - lw] = 1;
    if (q + lw < ln) near[q + lw] = 1;
  }

  const alpha = new Uint8Array(n);
  for (let y = 0; y < height; y++) {
    const cy = Math.min(lh - 1, Math.floor(y * f)) * lw;
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const d = distance[p]!;
      if (d > soft || !near[cy + Math.min(lw - 1, Math.floor(x * f))]) alpha[p] = data[p * 4 + 3]!;
      else alpha[p] = d <= hard ? 0 : Math.round(((d - hard) / (soft - hard)) * 255);
    }
  }
  // Feather the edge inwards only: an edge pixel takes the mean of its 3x3 neighbourhood
  // when that is lower, so no light halo is left outside the product.
  for (let p = 0; p < n; p++) {
    const i = p * 4;
    let a = alpha[p]!;
    const x = p % width;
    if (a > 0 && x > 0 && x < width - 1 && p >= width && p + width < n) {
      const up = p - width;
      const down = p + width;
      if (alpha[p - 1]! < a || alpha[p + 1]! < a || alpha[up]! < a || alpha[down]! < a) {
        const mean =
          (alpha[up - 1]! + alpha[up]! + alpha[up + 1]! + alpha[p - 1]! + a + alpha[p + 1]! +
            alpha[down - 1]! + alpha[down]! + alpha[down + 1]!) / 9;
        if (mean < a) a = Math.round(mean);
      }
    }
    if (a < data[i + 3]!) data[i + 3] = a;
    if (a > 0 && a < 255) {
      // Edge pixels are a mix of product and background: take the background out.
      const k = a / 255;
      for (let c = 0; c < 3; c++) {
        const value = (data[i + c]! - (1 - k) * bg[c as 0 | 1 | 2]) / k;
        data[i + c] = value < 0 ? 0 : value > 255 ? 255 : value;
      }
    }
  }
  return { data, width, height, mode: "removed" };
}

/** Bounding box of pixels with alpha >= 24, or undefined when (almost) nothing is left. */
function opaqueBounds(cut: Cutout) {
  let minX = cut.width;
  let minY = cut.height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < cut.height; y++) {
    for (let x = 0; x < cut.width; x++) {
      if (cut.data[(y * cut.width + x) * 4 + 3]! >= 24) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (maxX < 0) return undefined;
  const w = maxX - minX + 1;
  const h = maxY - minY + 1;
  if (w * h < cut.width * cut.height * 0.01) return undefined;
  return { left: minX, top: minY, width: w, height: h };
}

function roundCorners(cut: Cutout, radius: number) {
  const { width, height, data } = cut;
  for (let y = 0; y < radius; y++) {
    for (let x = 0; x < radius; x++) {
      const dx = radius - x - 0.5;
      const dy = radius - y - 0.5;
      const cover = clamp01(radius - Math.sqrt(dx * dx + dy * dy) + 0.5);
      if (cover >= 1) continue;
      for (const [px, py] of [
        [x, y],
        [width - 1 - x, y],
        [x, height - 1 - y],
        [width - 1 - x, height - 1 - y],
      ] as const) {
        const i = (py * width + px) * 4 + 3;
        data[i] = Math.round(data[i]! * cover);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Composition

export interface ComposeInput {
  source: ImageData;
  backdrop: Backdrop;
  width: number;
  height: number;
  format?: OutputFormat;
  quality?: number;
  seed?: number;
}

export interface ComposeResult {
  image: ImageData;
  width: number;
  height: number;
  cutout: Cutout["mode"];
  /** Where the product was placed (for tests and debugging). */
  productBox: { left: number; top: number; width: number; height: number };
}

/** The product cut out of its photo, scaled to its place in a W x H frame: RGBA, pw x ph, at (left, top). */
export interface PlacedProduct {
  product: Buffer;
  pw: number;
  ph: number;
  left: number;
  top: number;
  mode: Cutout["mode"];
}

/** Where the product goes in a W x H frame: centred, PRODUCT_SHARE of it. */
export async function placeProduct(source: ImageData, W: number, H: number): Promise<PlacedProduct> {
  const boxW = Math.round(W * PRODUCT_SHARE);
  const boxH = Math.round(H * PRODUCT_SHARE);
  const workSide = Math.min(2048, Math.round(Math.max(boxW, boxH) * 1.25));

  const cut = await cutOutProduct(source.bytes, workSide);
  let mode = cut.mode;

  // Crop to the product itself when a background was made transparent.
  let region = { left: 0, top: 0, width: cut.width, height: cut.height };
  if (mode !== "none") {
    const bounds = opaqueBounds(cut);
    if (bounds) region = bounds;
    else {
      // (Almost) nothing left: it was not a product on a plain background after all.
      for (let i = 3; i < cut.data.length; i += 4) cut.data[i] = 255;
      mode = "none";
    }
  }
  if (mode === "none") roundCorners(cut, Math.round(Math.min(cut.width, cut.height) * 0.02));

  const scale = Math.min(boxW / region.width, boxH / region.height);
  const pw = Math.max(1, Math.round(region.width * scale));
  const ph = Math.max(1, Math.round(region.height * scale));
  const product = await sharp(cut.data, { raw: { width: cut.width, height: cut.height, channels: 4 } })
    .extract(region)
    .resize(pw, ph, { kernel: "lanczos3" })
    .raw()
    .toBuffer();

  const left = Math.round((W - pw) / 2);
  const top = Math.round((H - ph) / 2);
  return { product, pw, ph, left, top, mode };
}

export async function composeProductPhoto(input: ComposeInput): Promise<ComposeResult> {
  const { width: W, height: H } = input;
  // Decoding runs on libuv's pool while the backdrop is painted on this thread.
  const placing = placeProduct(input.source, W, H);
  const backdrop = paintBackdrop(input.backdrop, W, H, input.seed ?? 1);
  const { product, pw, ph, left, top, mode } = await placing;

  // Shadow: the product's own silhouette, offset and blurred, plus a contact shadow
  // along its base.
  const sigma = Math.max(2, ph * 0.025);
  const pad = Math.ceil(sigma * 3 + ph * 0.04);
  const sw = pw + 2 * pad;
  const sh = ph + 2 * pad;
  const shadowAlpha = new Uint8Array(sw * sh);
  const dx = Math.round(pw * 0.015);
  const dy = Math.round(ph * 0.025);
  let baseMin = pw;
  let baseMax = -1;
  const baseRows = Math.max(1, Math.round(ph * 0.06));
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      const a = product[(y * pw + x) * 4 + 3]!;
      if (a === 0) continue;
      shadowAlpha[(y + pad + dy) * sw + (x + pad + dx)] = Math.round(a * 0.3);
      if (y >= ph - baseRows && a > 64) {
        if (x < baseMin) baseMin = x;
        if (x > baseMax) baseMax = x;
      }
    }
  }
  if (baseMax >= baseMin) {
    const cx = pad + (baseMin + baseMax) / 2;
    const cy = pad + ph - ph * 0.005;
    const rx = Math.max(4, ((baseMax - baseMin) / 2) * 1.08);
    const ry = Math.max(2, ph * 0.03);
    for (let y = Math.max(0, Math.floor(cy - ry)); y <= Math.min(sh - 1, Math.ceil(cy + ry)); y++) {
      for (let x = Math.max(0, Math.floor(cx - rx)); x <= Math.min(sw - 1, Math.ceil(cx + rx)); x++) {
        const e = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
        if (e < 1) {
          const si = y * sw + x;
          shadowAlpha[si] = Math.max(shadowAlpha[si]!, Math.round(110 * (1 - e)));
        }
      }
    }
  }
  gaussianishBlur(shadowAlpha, sw, sh, sigma);

  // Shadow colour: the backdrop just under the product, much darker.
  const bx = Math.min(backdrop.width - 1, Math.round((backdrop.width * (left + pw / 2)) / W));
  const by = Math.min(backdrop.height - 1, Math.round((backdrop.height * (top + ph)) / H));
  const under = (by * backdrop.width + bx) * 3;
  const tint: Rgb = [
    Math.round(backdrop.data[under]! * 0.25),
    Math.round(backdrop.data[under + 1]! * 0.25),
    Math.round(backdrop.data[under + 2]! * 0.25),
  ];
  const shadow = Buffer.alloc(sw * sh * 4);
  for (let p = 0; p < sw * sh; p++) {
    shadow[p * 4] = tint[0];
    shadow[p * 4 + 1] = tint[1];
    shadow[p * 4 + 2] = tint[2];
    shadow[p * 4 + 3] = shadowAlpha[p]!;
  }

  // One pipeline: scale the painted backdrop to the frame, composite, encode.
  const format = input.format ?? "jpeg";
  const quality = input.quality ?? 90;
  let pipeline = sharp(backdrop.data, {
    raw: { width: backdrop.width, height: backdrop.height, channels: 3 },
  });
  if (backdrop.width !== W || backdrop.height !== H) {
    pipeline = pipeline.resize(W, H, { fit: "fill", kernel: "linear" });
  }
  pipeline = pipeline.composite([
    { input: shadow, raw: { width: sw, height: sh, channels: 4 }, left: left - pad, top: top - pad },
    { input: product, raw: { width: pw, height: ph, channels: 4 }, left, top },
  ]);
  pipeline =
    format === "png"
      ? pipeline.png({ compressionLevel: 6 })
      : format === "webp"
        ? pipeline.webp({ quality })
        : pipeline.jpeg({ quality, chromaSubsampling: "4:4:4" });
  const bytes = await pipeline.toBuffer();
  return {
    image: { bytes: new Uint8Array(bytes), mimeType: `image/${format}` },
    width: W,
    height: H,
    cutout: mode,
    productBox: { left, top, width: pw, height: ph },
  };
}

// ---------------------------------------------------------------------------------------

function checkSignal(signal: AbortSignal | undefined) {
  if (signal?.aborted) {
    throw new GenerationError("CANCELLED", { message: "The generation was cancelled." });
  }
}

class OfflineImageProvider implements ImageProvider {
  readonly id = "offline" as const;
  readonly label = "Offline compositor (no AI): your photo placed on a preset background";

  constructor(private readonly options: OfflineProviderOptions) {}

  async generate(req: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
    const started = performance.now();
    validateGenerateRequest(req);
    checkSignal(options.signal);
    const presetId =
      (req.presetId && getPreset(req.presetId)?.id) ??
      (this.options.defaultPresetId && getPreset(this.options.defaultPresetId)?.id) ??
      DEFAULT_PRESET_ID;
    const preset = getPreset(presetId)!;
    const { width, height } = exactOutputSize(req.aspectRatio, req.resolution);
    const source = req.sources[0]!;
    const result = await composeProductPhoto({
      source,
      backdrop: preset.backdrop,
      width,
      height,
      format: this.options.format,
      quality: this.options.quality,
      seed: hashString(preset.id),
    });
    checkSignal(options.signal);
    const totalMs = Math.round(performance.now() - started);
    return {
      images: [result.image],
      placement: result.productBox,
      finishReason: "STOP",
      usage: { promptTokens: 0, outputTokens: 0, thoughtsTokens: 0, totalTokens: 0 },
      model: req.model,
      modelVersion: OFFLINE_MODEL_VERSION,
      responseId: randomUUID(),
      timings: { totalMs, upstreamMs: totalMs, waitedMs: 0, attempts: 1 },
    };
  }

  /** No AI to ask: the product area of the result is compared with the source's cut-out (fidelity-pixels.server.ts). */
  async checkFidelity(req: FidelityRequest): Promise<FidelityVerdict> {
    const source = req.sources[0];
    if (!source) throw new GenerationError("INVALID_INPUT", { message: "The fidelity check needs the source photo." });
    const frame = req.frame ?? (await sharp(req.result.bytes).metadata());
    const reference = await placeProduct(source, frame.width, frame.height);
    return compareProductArea({ result: req.result, frame, reference, placement: req.placement });
  }

  async altText(req: AltTextRequest): Promise<string> {
    const preset = (req.presetId && getPreset(req.presetId)) || undefined;
    const setting = preset ? `${preset.name.toLowerCase()} background` : "a studio background";
    const suffix = ` product photo on ${setting}`;
    const title =
      req.productTitle.replace(/[\p{Cc}\p{Cf}]+/gu, " ").replace(/\s+/g, " ").trim() || "Product";
    return truncateAtWord(title, Math.max(20, ALT_TEXT_MAX_LENGTH - suffix.length)) + suffix;
  }
}

export function createOfflineProvider(options: OfflineProviderOptions = {}): ImageProvider {
  return new OfflineImageProvider(options);
}
