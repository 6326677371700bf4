// Media processing as Shopify does it, asynchronously: a new MediaImage starts UPLOADED, turns
// PROCESSING while the simulator downloads `originalSource` over HTTP, and ends READY (the image is
// now on the simulator's CDN) or FAILED with a mediaErrors entry (download failed, not an image,
// too large ...). Delays are configurable so tests can watch each state.
import sharp from "sharp";
import type { Metadata } from "sharp";
import type { SimContext } from "./context.ts";
import { isoNow, randomUUID } from "./state.ts";
import type { SimMedia, SimMediaError, SimProduct, SimShop } from "./state.ts";

/** Shopify's limits for product images. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 20_000_000;
export const MAX_PRODUCT_MEDIA = 250;

const SUPPORTED_FORMATS: Record<string, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  heif: "image/heic",
  avif: "image/avif",
};

export interface NewMedia {
  originalSource: string;
  alt?: string | null;
  filename?: string | null;
}

/** True for an absolute http(s) URL (what Shopify accepts as an external originalSource). */
export function isFetchableUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Creates a MediaImage (status UPLOADED) attached to `product` and starts processing it. */
export function createMedia(ctx: SimContext, shop: SimShop, product: SimProduct | null, input: NewMedia): SimMedia {
  const now = isoNow(ctx.now());
  const media: SimMedia = {
    id: ctx.state.nextId("Media"),
    productId: product?.id ?? null,
    alt: input.alt ?? "",
    status: "UPLOADED",
    originalSource: input.originalSource,
    filename: input.filename ?? null,
    mimeType: null,
    fileSize: null,
    image: null,
    errors: [],
    createdAt: now,
    updatedAt: now,
    generation: 0,
  };
  shop.media.set(media.id, media);
  ctx.state.counters.mediaCreated++;
  startProcessing(ctx, shop, media);
  return media;
}

/** Re-processes a media from a new source (FileSetInput with both id and originalSource). */
export function replaceMediaSource(ctx: SimContext, shop: SimShop, media: SimMedia, originalSource: string): void {
  media.originalSource = originalSource;
  media.status = "UPLOADED";
  media.image = null;
  media.errors = [];
  media.updatedAt = isoNow(ctx.now());
  startProcessing(ctx, shop, media);
}

function startProcessing(ctx: SimContext, shop: SimShop, media: SimMedia): void {
  media.generation++;
  const generation = media.generation;
  const { uploadedMs, processingMs } = ctx.options.mediaDelays;
  ctx.state.schedule(uploadedMs, () => {
    if (media.generation !== generation || !ctx.state.shops.has(shop.domain)) return;
    media.status = "PROCESSING";
    media.updatedAt = isoNow(ctx.now());
    const started = Date.now();
    void download(ctx, shop, media).then((outcome) => {
      const wait = Math.max(0, processingMs - (Date.now() - started));
      ctx.state.schedule(wait, () => {
        if (media.generation !== generation || !ctx.state.shops.has(shop.domain)) return;
        finish(ctx, media, outcome);
      });
    });
  });
}

type Outcome = { ok: true; path: string; width: number; height: number; mimeType: string; size: number } | { ok: false; error: SimMediaError };

function finish(ctx: SimContext, media: SimMedia, outcome: Outcome): void {
  media.updatedAt = isoNow(ctx.now());
  if (outcome.ok) {
    media.status = "READY";
    media.mimeType = outcome.mimeType;
    media.fileSize = outcome.size;
    media.image = { id: ctx.state.nextId("Image"), path: outcome.path, width: outcome.width, height: outcome.height };
    ctx.state.counters.mediaReady++;
  } else {
    media.status = "FAILED";
    media.errors = [outcome.error];
    ctx.state.counters.mediaFailed++;
  }
}

const failure = (code: string, message: string, details: string | null): Outcome => ({ ok: false, error: { code, message, details } });

async function download(ctx: SimContext, shop: SimShop, media: SimMedia): Promise<Outcome> {
  const source = media.originalSource;
  let response: Response;
  try {
    response = await fetch(source, { redirect: "follow", signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    return failure("IMAGE_DOWNLOAD_FAILURE", "Image failed to download.", `Could not fetch ${source}: ${(error as Error).message}`);
  }
  if (!response.ok) {
    return failure("IMAGE_DOWNLOAD_FAILURE", "Image failed to download.", `${source} answered HTTP ${response.status}.`);
  }
  let body: Buffer;
  try {
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    return failure("IMAGE_DOWNLOAD_FAILURE", "Image failed to download.", (error as Error).message);
  }
  if (body.length > MAX_IMAGE_BYTES) {
    return failure("INVALID_IMAGE_FILE_SIZE", "Image file size is too large. Images can be up to 20 MB.", `${body.length} bytes`);
  }
  let metadata: Metadata;
  try {
    metadata = await sharp(body).metadata();
  } catch {
    return failure("UNSUPPORTED_IMAGE_FILE_TYPE", "Image file type is not supported.", `Content-Type: ${response.headers.get("content-type") ?? "unknown"}`);
  }
  const mimeType = metadata.format ? SUPPORTED_FORMATS[metadata.format] : undefined;
  if (!mimeType) {
    return failure("UNSUPPORTED_IMAGE_FILE_TYPE", "Image file type is not supported.", `Format: ${metadata.format ?? "unknown"}`);
  }
  const width = metadata.autoOrient?.width ?? metadata.width ?? 0;
  const height = metadata.autoOrient?.height ?? metadata.height ?? 0;
  if (width <= 0 || height <= 0) return failure("IMAGE_PROCESSING_FAILURE", "Image could not be processed.", null);
  if (width * height > MAX_IMAGE_PIXELS) {
    return failure("INVALID_IMAGE_RESOLUTION", "Image resolution is too large. Images can be up to 20 megapixels.", `${width}x${height}`);
  }
  const ratio = width / height;
  if (ratio > 100 || ratio < 0.01) {
    return failure("INVALID_IMAGE_ASPECT_RATIO", "Image aspect ratio is invalid. It must be between 100:1 and 1:100.", `${width}x${height}`);
  }
  const path = cdnPath(ctx, shop, media, source, metadata.format ?? "jpeg");
  ctx.state.files.set(path, { body, contentType: mimeType });
  return { ok: true, path, width, height, mimeType, size: body.length };
}

/** Where a processed file lives: /cdn/shops/<shop>/files/<name>, unique like APPEND_UUID. */
function cdnPath(ctx: SimContext, shop: SimShop, media: SimMedia, source: string, format: string): string {
  let name = media.filename ?? "";
  if (!name) {
    try {
      name = decodeURIComponent(new URL(source).pathname.split("/").pop() ?? "");
    } catch {
      name = "";
    }
  }
  name = name.replace(/[^A-Za-z0-9._-]+/g, "_") || `image.${format === "jpeg" ? "jpg" : format}`;
  if (!/\.[A-Za-z0-9]+$/.test(name)) name = `${name}.${format === "jpeg" ? "jpg" : format}`;
  let path = `/cdn/shops/${shop.handle}/files/${name}`;
  if (ctx.state.files.has(path)) {
    const dot = name.lastIndexOf(".");
    path = `/cdn/shops/${shop.handle}/files/${name.slice(0, dot)}_${randomUUID()}${name.slice(dot)}`;
  }
  return path;
}

/** Applies MoveInput moves in order (Shopify: each newPosition is evaluated after prior moves). */
export function applyMoves(ids: number[], moves: { id: number; newPosition: number }[]): number[] {
  const order = [...ids];
  for (const move of moves) {
    const from = order.indexOf(move.id);
    if (from === -1) continue;
    order.splice(from, 1);
    const to = Math.min(Math.max(0, move.newPosition), order.length);
    order.splice(to, 0, move.id);
  }
  return order;
}
