import { webcrypto } from "node:crypto";
import type { FormatEnum, Metadata, Sharp, SharpOptions } from "sharp";

import { detectImageFormat, formatFromMimeType, formatLabel, type DetectedFormat } from "./detect";
import { ImageRejectedError } from "./errors";
import { iccProfileDescription, isSrgbProfile } from "./icc";
import { stripJpegMetadata } from "./jpeg";
import {
  DEFAULT_IMAGE_LIMITS,
  DISPLAY_MAX_SIDE,
  DISPLAY_WEBP,
  GENERATED_DISPLAY_AS_ORIGINAL_MAX_SIDE,
  ORIGINAL_JPEG_QUALITY,
  ORIGINAL_WEBP_QUALITY,
  THUMB_MAX_SIDE,
  THUMB_WEBP,
  type ImageLimits,
} from "./limits";
import { sharp, withPipelineSlot } from "./sharp.server";

export type InputFormat = "jpeg" | "png" | "webp" | "avif" | "heic";
export type StoredFormat = "jpeg" | "png" | "webp";

export interface Rendition<F extends StoredFormat = StoredFormat> {
  bytes: Buffer;
  format: F;
  contentType: `image/${F}`;
  width: number;
  height: number;
}

export interface IngestedImage {
  /** Full size, upright, sRGB, metadata stripped; same format family as the input (HEIC/AVIF -> JPEG, or PNG with alpha). */
  original: Rendition;
  /**
   * WebP, longest side at most 2048, never enlarged; or, with `displayOriginal`, the original
   * itself (the same object) when it already fits.
   */
  display: Rendition;
  /** WebP, longest side at most 400, never enlarged; null with `thumbnail: false` (made later by `makeThumbnail`). */
  thumb: Rendition<"webp"> | null;
  meta: {
    /** Upright dimensions (after EXIF orientation). */
    width: number;
    height: number;
    /** Size of the uploaded bytes. */
    bytes: number;
    /** Format of the uploaded bytes, from their magic bytes. */
    format: InputFormat;
    /** SHA-256 (hex) of the uploaded bytes, for dedupe. */
    sha256: string;
    hasAlpha: boolean;
    /** EXIF orientation that was applied (1 = none). */
    orientationApplied: number;
    /** libvips interpretation of the input: "srgb", "cmyk", "b-w", "rgb16", "grey16", ... */
    colourSpaceIn: string;
    /** Description of the embedded ICC profile, if any (e.g. "Display P3"). */
    iccProfileIn?: string;
    /** The client's declared type named another format than the bytes are (we go by the bytes). */
    declaredTypeMismatch: boolean;
    /** False when the JPEG original is the upload with metadata segments cut out (no re-encode). */
    originalReencoded: boolean;
  };
}

export interface IngestOptions {
  /** The client's Content-Type; only compared, never trusted. */
  declaredType?: string;
  /** The client's file name; only used to make messages friendlier. */
  filename?: string;
  limits?: Partial<ImageLimits>;
  /**
   * The bytes come from Lightbox's own image provider, not a merchant: an upright 8-bit sRGB
   * JPEG/PNG/WebP is stored as it came (no re-encode, and any provenance the model embedded is
   * kept). Uploads never set this: their metadata must be stripped.
   */
  trustedOriginal?: boolean;
  /**
   * With `trustedOriginal`: when the original is kept as it came and is a 1K output (see
   * GENERATED_DISPLAY_AS_ORIGINAL_MAX_SIDE), it is the display rendition too (no second, lossy copy is encoded). Generated images
   * use this, so the merchant judges the exact pixels that would be published.
   */
  displayOriginal?: boolean;
  /**
   * False: no thumbnail now (`thumb` is null); the caller makes it with `makeThumbnail` when it is
   * first needed. Generated images use this: for a 1K output the thumbnail is the only rendition
   * that needs the pixels decoded (docs/decisions/0098-generated-thumbnails-on-first-request.md).
   */
  thumbnail?: boolean;
}

/** `ingestImage` with a thumbnail (the default). */
export type IngestedImageWithThumb = IngestedImage & { thumb: Rendition<"webp"> };

const ACCEPTED: ReadonlySet<DetectedFormat> = new Set<DetectedFormat>(["jpeg", "png", "webp", "avif", "heic"]);
const SHARP_FORMAT: Record<InputFormat, keyof FormatEnum> = {
  jpeg: "jpeg",
  png: "png",
  webp: "webp",
  avif: "heif",
  heic: "heif",
};

/**
 * Validates an upload and produces the stored renditions. Order matters: size before anything
 * else, format from magic bytes before any decoder sees the data, pixel count from the header
 * before any pixel is decoded. Throws ImageRejectedError with a message for the merchant.
 * See docs/decisions/0020-image-format-detection.md and 0021-image-limits-and-normalisation.md.
 */
export function ingestImage(bytes: Buffer, options: IngestOptions & { thumbnail: false }): Promise<IngestedImage>;
export function ingestImage(bytes: Buffer, options?: IngestOptions): Promise<IngestedImageWithThumb>;
export async function ingestImage(bytes: Buffer, options: IngestOptions = {}): Promise<IngestedImage> {
  const limits: ImageLimits = { ...DEFAULT_IMAGE_LIMITS, ...options.limits };
  const name = describeFile(options.filename);

  if (bytes.length === 0) {
    throw new ImageRejectedError("EMPTY", `${name} is empty (0 bytes). Choose the photo again and re-upload it.`);
  }
  if (bytes.length > limits.maxBytes) {
    throw new ImageRejectedError(
      "TOO_LARGE",
      `${name} is ${formatMegabytes(bytes.length)}; the limit is ${formatMegabytes(limits.maxBytes)}. ` +
        `Export the photo as a JPEG (quality 85–90 is plenty) or at a smaller size, then upload it again.`,
    );
  }

  const detected = detectImageFormat(bytes);
  if (!ACCEPTED.has(detected) || (detected === "avif" && !sharp.format.heif.input.buffer)) {
    throw unsupported(detected, name);
  }
  let format = detected as InputFormat;
  // WebCrypto hashes on the thread pool, not on the event loop that serves everyone else.
  const sha256 = Buffer.from(await webcrypto.subtle.digest("SHA-256", bytes)).toString("hex");

  // Header only: no pixel data is decoded here, so a 50000x50000 PNG costs nothing yet.
  let header: Metadata;
  try {
    header = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw classifyDecodeError(error, format, name);
  }
  if (header.format !== SHARP_FORMAT[format]) {
    throw corrupt(name, `magic bytes say ${format}, decoder says ${header.format}`);
  }
  // HEIF brands can mislead; the item's codec decides between AVIF (readable) and HEIC.
  if (header.compression === "av1") format = "avif";
  if (header.compression === "hevc") format = "heic";
  if (format === "webp" && (header.pages ?? 1) > 1) {
    throw new ImageRejectedError(
      "ANIMATED",
      `${name} is an animated image (${header.pages} frames). Upload a still photo as JPEG, PNG or WebP.`,
      { detectedFormat: format },
    );
  }
  const storedWidth = header.width;
  const storedHeight = header.height;
  const pixels = storedWidth * storedHeight;
  if (pixels > limits.maxPixels) {
    throw new ImageRejectedError(
      "TOO_MANY_PIXELS",
      `${name} is ${storedWidth} × ${storedHeight} pixels (${formatMegapixels(pixels)}); the limit is ${formatMegapixels(limits.maxPixels)}. ` +
        `Resize it to at most ${suggestSize(storedWidth, storedHeight, limits.maxPixels)} pixels and upload it again.`,
      { detectedFormat: format },
    );
  }
  const width = header.autoOrient?.width ?? storedWidth;
  const height = header.autoOrient?.height ?? storedHeight;
  if (limits.minSide > 0 && (width < limits.minSide || height < limits.minSide)) {
    throw new ImageRejectedError(
      "TOO_SMALL",
      `${name} is only ${width} × ${height} pixels. Upload a photo at least ${limits.minSide} pixels on each side; ` +
        `for good results use 1000 pixels or more.`,
      { detectedFormat: format },
    );
  }

  const orientation = header.orientation ?? 1;
  const icc = header.icc;
  const hasAlpha = header.hasAlpha;
  const declared = formatFromMimeType(options.declaredType);
  const declaredTypeMismatch = declared !== undefined && declared !== format;

  // One decoder configuration for every rendition: refuse damaged data, keep the pixel limit as
  // a second guard, rotate by EXIF orientation. Each clone streams from the same input buffer.
  const inputOptions: SharpOptions = { failOn: "error", limitInputPixels: limits.maxPixels, autoOrient: true };
  const base = sharp(bytes, inputOptions);

  // Lossless path for the most common upload: an upright 8-bit sRGB JPEG. Cutting metadata
  // segments out keeps the photographer's compression untouched and costs no decode.
  const canStrip =
    format === "jpeg" &&
    orientation === 1 &&
    header.space === "srgb" &&
    header.channels === 3 &&
    header.depth === "uchar" &&
    (!header.hasProfile || isSrgbProfile(icc));
  const keepAsIs =
    options.trustedOriginal === true &&
    (format === "jpeg" || format === "png" || format === "webp") &&
    orientation === 1 &&
    (header.space === "srgb" || header.space === "b-w") &&
    header.depth === "uchar";
  const stripped = keepAsIs ? bytes : canStrip ? stripJpegMetadata(bytes) : null;

  const originalFormat: StoredFormat = format === "png" ? "png" : format === "webp" ? "webp" : format === "jpeg" ? "jpeg" : hasAlpha ? "png" : "jpeg";

  const displayIsOriginal = keepAsIs && options.displayOriginal === true && Math.max(width, height) <= GENERATED_DISPLAY_AS_ORIGINAL_MAX_SIDE;

  let original: Rendition;
  let display: Rendition;
  let thumb: Rendition<"webp"> | null;
  try {
    [original, display, thumb] = await Promise.all([
      stripped
        ? Promise.resolve(rendition(stripped, keepAsIs ? (format as StoredFormat) : "jpeg", width, height))
        : encodeOriginal(base.clone().toColourspace("srgb"), originalFormat, format === "webp" && isLosslessWebp(bytes)),
      displayIsOriginal ? Promise.resolve(null) : toWebp(base.clone(), DISPLAY_MAX_SIDE, DISPLAY_WEBP),
      options.thumbnail === false ? Promise.resolve(null) : toWebp(base.clone(), THUMB_MAX_SIDE, THUMB_WEBP),
    ]).then(([o, d, t]) => [o, d ?? o, t] as const);
  } catch (error) {
    throw classifyDecodeError(error, format, name);
  }
  if (original.width !== width || original.height !== height) {
    throw corrupt(name, `original came out ${original.width}x${original.height}, header said ${width}x${height}`);
  }

  return {
    original,
    display,
    thumb,
    meta: {
      width,
      height,
      bytes: bytes.length,
      format,
      sha256,
      hasAlpha,
      orientationApplied: orientation,
      colourSpaceIn: header.space,
      iccProfileIn: header.hasProfile ? iccProfileDescription(icc) : undefined,
      declaredTypeMismatch,
      originalReencoded: !stripped,
    },
  };
}

/**
 * The thumbnail of an image already stored (an asset's display rendition, or its original): WebP,
 * longest side at most 400. The same pipeline as `ingestImage`'s own thumbnail.
 */
export async function makeThumbnail(bytes: Buffer): Promise<Rendition<"webp">> {
  return toWebp(sharp(bytes, { failOn: "error", limitInputPixels: DEFAULT_IMAGE_LIMITS.maxPixels, autoOrient: true }), THUMB_MAX_SIDE, THUMB_WEBP);
}

function rendition<F extends StoredFormat>(bytes: Buffer, format: F, width: number, height: number): Rendition<F> {
  return { bytes, format, contentType: `image/${format}`, width, height };
}

async function encodeOriginal(pipeline: Sharp, format: StoredFormat, lossless: boolean): Promise<Rendition> {
  const encoded =
    format === "jpeg"
      ? pipeline.jpeg({ quality: ORIGINAL_JPEG_QUALITY, chromaSubsampling: "4:2:0" })
      : format === "png"
        ? pipeline.png({ compressionLevel: 6 })
        : pipeline.webp(lossless ? { lossless: true } : { quality: ORIGINAL_WEBP_QUALITY });
  const { data, info } = await withPipelineSlot(() => encoded.toBuffer({ resolveWithObject: true }));
  return rendition(data, format, info.width, info.height);
}

async function toWebp(pipeline: Sharp, maxSide: number, options: { quality: number; effort: number }): Promise<Rendition<"webp">> {
  const encoded = pipeline
    .resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true })
    .toColourspace("srgb")
    .webp(options);
  const { data, info } = await withPipelineSlot(() => encoded.toBuffer({ resolveWithObject: true }));
  return rendition(data, "webp", info.width, info.height);
}

/** A WebP whose image chunk is VP8L (lossless) should stay lossless. */
function isLosslessWebp(bytes: Buffer): boolean {
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const fourcc = bytes.toString("latin1", offset, offset + 4);
    if (fourcc === "VP8L") return true;
    if (fourcc === "VP8 ") return false;
    offset += 8 + bytes.readUInt32LE(offset + 4) + (bytes.readUInt32LE(offset + 4) % 2);
  }
  return false;
}

function unsupported(detected: DetectedFormat, name: string): ImageRejectedError {
  const fix = "Save it as JPEG, PNG or WebP and upload it again.";
  let message: string;
  switch (detected) {
    case "html":
      message = `${name} isn't an image: it is a web page (HTML) saved with an image name. Open the image itself, save it with "Save image as…", and upload that file.`;
      break;
    case "svg":
      message = `${name} is an SVG (vector) file, which isn't supported. Export it as PNG or JPEG and upload it again.`;
      break;
    case "gif":
      message = `${name} is a GIF, which isn't supported. ${fix}`;
      break;
    case "heic":
      message = `${name} is a HEIC photo (the iPhone default), which this server can't read. Export it as JPEG (on iPhone: Settings › Camera › Formats › Most Compatible) and upload it again.`;
      break;
    case "avif":
      message = `${name} is an AVIF image, which this server can't read. ${fix}`;
      break;
    case "unknown":
      message = `${name} isn't a JPEG, PNG or WebP image. ${fix}`;
      break;
    default:
      message = `${name} is a ${formatLabel(detected)} file, which isn't supported. ${fix}`;
  }
  return new ImageRejectedError("UNSUPPORTED_FORMAT", message, { detectedFormat: detected });
}

function corrupt(name: string, detail: string, cause?: unknown): ImageRejectedError {
  return new ImageRejectedError(
    "CORRUPT",
    `${name} is damaged or incomplete, so it can't be read (it may not have finished downloading or copying). ` +
      `Open it on your computer to check it, save it again as JPEG or PNG, and upload it again.`,
    { detail, cause },
  );
}

function classifyDecodeError(error: unknown, format: InputFormat, name: string): ImageRejectedError {
  if (error instanceof ImageRejectedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // libvips keeps a process-wide error buffer, so a message can carry text from earlier failures:
  // match sharp's own prefix, not a substring.
  if (message.startsWith("Input image exceeds pixel limit")) {
    return new ImageRejectedError("TOO_MANY_PIXELS", `${name} has too many pixels. Resize it and upload it again.`, {
      detectedFormat: format,
      detail: message,
      cause: error,
    });
  }
  // The prebuilt libvips has no HEVC decoder, so every HEIC photo fails to decode here. libvips'
  // error text is process-wide and unreliable under concurrency, so don't try to tell "no codec"
  // from "damaged" by message: either way the fix for the merchant is the same (export as JPEG).
  if (format === "heic") {
    const rejection = unsupported("heic", name);
    return new ImageRejectedError(rejection.code, rejection.message, { detectedFormat: "heic", detail: message, cause: error });
  }
  if (message.startsWith("Input buffer contains unsupported image format")) {
    const rejection = unsupported("unknown", name);
    return new ImageRejectedError(rejection.code, rejection.message, { detail: message, cause: error });
  }
  return corrupt(name, message, error);
}

function describeFile(filename: string | undefined): string {
  if (!filename) return "This file";
  const base = filename.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f<>]/g, "").slice(0, 80);
  return clean ? `“${clean}”` : "This file";
}

function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1).replace(/\.0$/, "")} MB`;
}

function formatMegapixels(pixels: number): string {
  const mp = pixels / 1_000_000;
  return `${mp >= 10 ? Math.round(mp) : mp.toFixed(1).replace(/\.0$/, "")} megapixels`;
}

/** Largest width x height with the same aspect ratio that fits the pixel limit. */
function suggestSize(width: number, height: number, maxPixels: number): string {
  const scale = Math.sqrt(maxPixels / (width * height));
  return `${Math.max(1, Math.floor(width * scale))} × ${Math.max(1, Math.floor(height * scale))}`;
}
