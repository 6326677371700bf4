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

export interface ImageModelCapabilities {
  id: string;
  label: string;
  tier: "default" | "premium";
  aspectRatios: readonly AspectRatio[];
  /** Resolutions the API accepts in `imageConfig.imageSize` for this model. */
  resolutions: readonly Resolution[];
  /** Max inline images (sources + references) in one request. */
  maxInputImages: number;
}

export const IMAGE_MODELS = {
  "gemini-3.1-flash-image": {
    id: "gemini-3.1-flash-image",
    label: "Gemini 3.1 Flash Image",
    tier: "default",
    aspectRatios: ASPECT_RATIOS,
    resolutions: RESOLUTIONS,
    maxInputImages: 14,
  },
  "gemini-3-pro-image": {
    id: "gemini-3-pro-image",
    label: "Gemini 3 Pro Image",
    tier: "premium",
    aspectRatios: ASPECT_RATIOS,
    resolutions: RESOLUTIONS,
    maxInputImages: 14,
  },
} as const satisfies Record<string, ImageModelCapabilities>;

export type ImageModelId = keyof typeof IMAGE_MODELS;
export const IMAGE_MODEL_IDS = Object.keys(IMAGE_MODELS) as ImageModelId[];
export const DEFAULT_IMAGE_MODEL: ImageModelId = "gemini-3.1-flash-image";
export const PREMIUM_IMAGE_MODEL: ImageModelId = "gemini-3-pro-image";

/**
 * Text model for alt text. Stable (GA) and the cheapest, fastest current text model in
 * Nov 2026; overridable per provider (`altTextModel` option).
 */
export const DEFAULT_ALT_TEXT_MODEL = "gemini-3.5-flash-lite";

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
  return IMAGE_MODELS[model].resolutions.includes(resolution);
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
