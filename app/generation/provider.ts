// The interface every image backend implements (Gemini, offline compositor). Callers (jobs,
// API handlers) depend on this file only and get a provider from a factory.

import { GenerationError } from "./errors";
import {
  type AspectRatio,
  type ImageModelId,
  type Resolution,
  INPUT_MIME_TYPES,
  IMAGE_MODELS,
  MAX_INLINE_REQUEST_BYTES,
  isAspectRatio,
  isImageModelId,
  isResolution,
} from "./models";

export { GenerationError, isGenerationError } from "./errors";
export type { GenerationErrorCode, GenerationErrorOptions } from "./errors";

export interface ImageData {
  bytes: Uint8Array;
  mimeType: string;
}

export interface GenerateRequest {
  model: ImageModelId;
  /** Final prompt text (built with `buildPrompt` / `buildRefinePrompt`). */
  prompt: string;
  /** Product photo(s); at least one. For a refine, the output being edited. */
  sources: ImageData[];
  /** Optional style/scene references; never the product itself. */
  references?: ImageData[];
  aspectRatio: AspectRatio;
  resolution: Resolution;
  /**
   * The preset the prompt was built from, if any. Gemini ignores it (the prompt is final);
   * the offline compositor uses it to pick the backdrop.
   */
  presetId?: string;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /**
   * Retry 429 (rate limited) answers inside the call (default true). The generation job passes
   * false: it paces the key itself and waits off the worker slot (app/generation/pace.server.ts).
   */
  retryRateLimits?: boolean;
}

export interface GenerateUsage {
  promptTokens: number;
  /** Tokens of the returned candidate(s), images included. */
  outputTokens: number;
  thoughtsTokens: number;
  totalTokens: number;
}

export interface GenerateTimings {
  /** Wall time of the whole call, retries and waits included. */
  totalMs: number;
  /** Duration of the last (successful) HTTP attempt. */
  upstreamMs: number;
  /** Time spent waiting between attempts. */
  waitedMs: number;
  attempts: number;
}

/**
 * One image per call: variants are separate calls made by the caller (each one billed,
 * retried, stored and refunded on its own). See docs/decisions/0030.
 */
export interface GenerateResult {
  images: ImageData[];
  /** Where the product sits in the image, when the provider placed it itself (the offline compositor). */
  placement?: ProductBox;
  /** Upstream finish reason ("STOP" on success). */
  finishReason: string;
  /** Any text the model returned next to the image. */
  text?: string;
  usage: GenerateUsage;
  model: ImageModelId;
  /** Exact model version that answered (e.g. "gemini-3.1-flash-image"). */
  modelVersion: string;
  responseId: string | null;
  timings: GenerateTimings;
}

export interface AltTextRequest {
  image: ImageData;
  productTitle: string;
  presetId?: string;
}

/** A rectangle of an image, in pixels. */
export interface ProductBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Does the product in `result` still look like the one in the source photo(s)? */
export interface FidelityRequest {
  sources: ImageData[];
  result: ImageData;
  productTitle?: string;
  /** Where the provider placed the product in `result` (offline compositor). */
  placement?: ProductBox;
  /** The size the provider made `result` at (offline compositor: the exact output size). */
  frame?: { width: number; height: number };
}

/** The fidelity check's answer: 0-100 (100: the product is unchanged) and what drifted. */
export interface FidelityVerdict {
  score: number;
  reasons: string[];
  /** "gemini": a text model compared the images; "pixels": the product area was compared pixel by pixel. */
  method: "gemini" | "pixels";
  /** The text model that judged (Gemini), or the comparison's version (pixels). */
  model: string;
}

/** Who makes the images: Gemini, or the offline compositor (no AI key configured). */
export const PROVIDER_KINDS = ["gemini", "offline"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface ImageProvider {
  readonly id: ProviderKind;
  /** Shown to merchants next to results. */
  readonly label: string;
  generate(req: GenerateRequest, options?: GenerateOptions): Promise<GenerateResult>;
  /** Alt text of at most ALT_TEXT_MAX_LENGTH characters. */
  altText(req: AltTextRequest, options?: GenerateOptions): Promise<string>;
  /** The fidelity check of one result (providers without one: the check is skipped). */
  checkFidelity?(req: FidelityRequest, options?: GenerateOptions): Promise<FidelityVerdict>;
}

export const ALT_TEXT_MAX_LENGTH = 125;

const ALLOWED_MIME = new Set<string>(INPUT_MIME_TYPES);

function invalid(message: string): GenerationError {
  return new GenerationError("INVALID_INPUT", { message });
}

/**
 * Checks a request before any work or upstream call: known model, aspect ratio and
 * resolution the model supports, 1+ sources, supported image types, request size.
 * Throws GenerationError("INVALID_INPUT") with a message saying what to fix.
 */
export function validateGenerateRequest(req: GenerateRequest): void {
  if (!isImageModelId(req.model)) {
    throw invalid(`Unknown image model "${String(req.model)}".`);
  }
  const caps = IMAGE_MODELS[req.model];
  if (!isAspectRatio(req.aspectRatio) || !caps.aspectRatios.includes(req.aspectRatio)) {
    throw invalid(
      `Aspect ratio "${String(req.aspectRatio)}" is not available for ${caps.label}. Choose one of ${caps.aspectRatios.join(", ")}.`,
    );
  }
  if (!isResolution(req.resolution) || !(caps.resolutions as readonly Resolution[]).includes(req.resolution)) {
    throw invalid(
      `Resolution "${String(req.resolution)}" is not available for ${caps.label}. Choose one of ${caps.resolutions.join(", ")}.`,
    );
  }
  if (typeof req.prompt !== "string" || req.prompt.trim() === "") {
    throw invalid("The prompt is empty. Pick a style preset or write a prompt.");
  }
  if (!Array.isArray(req.sources) || req.sources.length === 0) {
    throw invalid("Pick at least one source photo of the product.");
  }
  const all = [...req.sources, ...(req.references ?? [])];
  if (all.length > caps.maxInputImages) {
    throw invalid(
      `${caps.label} accepts at most ${caps.maxInputImages} photos per generation (sources and references together); ${all.length} were given.`,
    );
  }
  let bytes = 0;
  for (const image of all) {
    if (!ALLOWED_MIME.has(image.mimeType)) {
      throw invalid(
        `Photos must be JPEG, PNG, WebP or HEIC; got "${image.mimeType}". Convert the photo and try again.`,
      );
    }
    if (!(image.bytes instanceof Uint8Array) || image.bytes.byteLength === 0) {
      throw invalid("One of the photos is empty. Upload it again.");
    }
    bytes += image.bytes.byteLength;
  }
  // Inline data travels base64-encoded (4/3 larger) inside one JSON request.
  const estimated = Math.ceil((bytes * 4) / 3) + req.prompt.length + 4096;
  if (estimated > MAX_INLINE_REQUEST_BYTES) {
    throw invalid(
      `The photos are too large to send together (${(bytes / 1024 / 1024).toFixed(1)} MB; about 14 MB in total is the limit). Use fewer or smaller photos.`,
    );
  }
}

/** Cuts text to `max` characters at a word boundary, without a dangling separator. */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const lastSpace = cut.lastIndexOf(" ");
  const base = lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : text.slice(0, max);
  return base.replace(/[\s,;:–—-]+$/u, "");
}
