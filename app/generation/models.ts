// The one table of what each image model can do. Everything else (validation, the fake,
// the UI's pickers, cost previews) reads from here, so a model change is a one-file change.

export const ASPECT_RATIOS = [
  "1:1",
  "2:3",
  "3:2",
  "3:4",
  "4:3",
  "4:5",
  "5:4",
  "9:16",
  "16:9",
  "21:9",
] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const RESOLUTIONS = ["1K", "2K", "4K"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** Long side in pixels for each resolution tier (used by the offline compositor). */
export const RESOLUTION_LONG_SIDE: Readonly<Record<Resolution, number>> = {
  "1K": 1024,
  "2K": 2048,
  "4K": 4096,
};

/** MIME types Gemini accepts as inline image input. */
export const INPUT_MIME_TYPES = [
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/heic",
  "image/heif",
] as const;

export const MODEL_TIERS = ["draft", "standard", "premium"] as const;
/** draft: cheap 1K sketches; standard: the everyday model; premium: the best, and dearest. */
export type ModelTier = (typeof MODEL_TIERS)[number];

export interface ImageModelCapabilities {
  id: string;
  label: string;
  tier: ModelTier;
  /**
   * Google marked it deprecated: it still answers (until Google shuts it down, a few months
   * later), rows made with it still display, but it is not offered unless GEMINI_MODELS says so.
   */
  deprecated: boolean;
  aspectRatios: readonly AspectRatio[];
  /** Resolutions the API accepts in `imageConfig.imageSize` for this model. */
  resolutions: readonly Resolution[];
  /** Max inline images (sources + references) in one request. */
  maxInputImages: number;
}

// Every model Lightbox can price and display. WHICH of them a deployment offers, its default and
// its premium model are configuration (GEMINI_MODELS, GEMINI_DEFAULT_MODEL, GEMINI_PREMIUM_MODEL in
// app/env.server.ts; docs/decisions/0090-models-as-configuration.md). Prices: app/credits/prices.ts.
export const IMAGE_MODELS = {
  "gemini-3.5-flash-image": {
    id: "gemini-3.5-flash-image",
    label: "Gemini 3.5 Flash Image",
    tier: "standard",
    deprecated: false,
    aspectRatios: ASPECT_RATIOS,
    resolutions: RESOLUTIONS,
    maxInputImages: 14,
  },
  "gemini-3.1-flash-lite-image": {
    id: "gemini-3.1-flash-lite-image",
    label: "Gemini 3.1 Flash-Lite Image (draft, 1K)",
    tier: "draft",
    deprecated: false,
    aspectRatios: ASPECT_RATIOS,
    resolutions: ["1K"],
    maxInputImages: 14,
  },
  "gemini-3.1-flash-image": {
    id: "gemini-3.1-flash-image",
    label: "Gemini 3.1 Flash Image",
    tier: "standard",
    deprecated: true,
    aspectRatios: ASPECT_RATIOS,
    resolutions: RESOLUTIONS,
    maxInputImages: 14,
  },
  "gemini-3-pro-image": {
    id: "gemini-3-pro-image",
    label: "Gemini 3 Pro Image",
    tier: "premium",
    deprecated: false,
    aspectRatios: ASPECT_RATIOS,
    resolutions: RESOLUTIONS,
    maxInputImages: 14,
  },
} as const satisfies Record<string, ImageModelCapabilities>;

export type ImageModelId = keyof typeof IMAGE_MODELS;
/** Every id of the table (what a stored generation or ledger entry may name), not what is offered. */
export const IMAGE_MODEL_IDS = Object.keys(IMAGE_MODELS) as [ImageModelId, ...ImageModelId[]];

/** The lineup when the environment says nothing: the current GA models, none deprecated. */
export const BUILTIN_LINEUP = {
  offered: ["gemini-3.5-flash-image", "gemini-3.1-flash-lite-image", "gemini-3-pro-image"],
  default: "gemini-3.5-flash-image",
  premium: "gemini-3-pro-image",
} as const satisfies { offered: readonly ImageModelId[]; default: ImageModelId; premium: ImageModelId };

/**
 * Text model for alt text. Stable (GA) and the cheapest, fastest current text model in
 * Nov 2026; overridable per provider (`altTextModel` option).
 */
export const DEFAULT_ALT_TEXT_MODEL = "gemini-3.5-flash-lite";

/**
 * Text model of the fidelity check (does the product in a result still match the source photo?).
 * A multimodal flash model with structured JSON output; cheap enough that Lightbox pays for it
 * (docs/decisions/0095-fidelity-check.md). Overridable per provider (`fidelityModel` option).
 */
export const DEFAULT_FIDELITY_MODEL = "gemini-3.5-flash";

/** Gemini's inline request limit (whole request, base64 included). */
export const MAX_INLINE_REQUEST_BYTES = 20 * 1024 * 1024;

export function isImageModelId(value: string): value is ImageModelId {
  return Object.hasOwn(IMAGE_MODELS, value);
}

export function isAspectRatio(value: string): value is AspectRatio {
  return (ASPECT_RATIOS as readonly string[]).includes(value);
}

export function isResolution(value: string): value is Resolution {
  return (RESOLUTIONS as readonly string[]).includes(value);
}

export function modelCapabilities(model: ImageModelId): ImageModelCapabilities {
  return IMAGE_MODELS[model];
}

export function supportsResolution(model: ImageModelId, resolution: Resolution): boolean {
  return (IMAGE_MODELS[model].resolutions as readonly Resolution[]).includes(resolution);
}

export function supportsAspectRatio(model: ImageModelId, aspectRatio: AspectRatio): boolean {
  return IMAGE_MODELS[model].aspectRatios.includes(aspectRatio);
}

export function parseAspectRatio(aspectRatio: AspectRatio): { w: number; h: number } {
  const [w, h] = aspectRatio.split(":").map(Number);
  return { w: w ?? 1, h: h ?? 1 };
}

/**
 * Pixel size with EXACTLY the requested ratio and a long side of at most the tier's
 * length (1K = 1024, 2K = 2048, 4K = 4096). 21:9 at 1K is 1008x432, 16:9 is 1024x576.
 * Gemini itself returns sizes from its own table (about 1 MP at 1K, not always the exact
 * ratio); this function is for images we render ourselves.
 */
export function exactOutputSize(
  aspectRatio: AspectRatio,
  resolution: Resolution,
): { width: number; height: number } {
  const { w, h } = parseAspectRatio(aspectRatio);
  const unit = Math.floor(RESOLUTION_LONG_SIDE[resolution] / Math.max(w, h));
  return { width: unit * w, height: unit * h };
}
