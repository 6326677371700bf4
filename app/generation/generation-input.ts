// What a merchant or API client may ask for, validated once (shared by the Studio and the API).
import { z } from "zod";

import { ASPECT_RATIOS, RESOLUTIONS } from "./models";
import { PRESET_IDS } from "./presets";
import { MAX_CUSTOM_PROMPT_LENGTH, MAX_REFINE_INSTRUCTION_LENGTH } from "./prompts";

/** How many photos of the product one generation may take (the API's document says the same). */
export const MAX_SOURCE_IMAGES = 6;
/** How many style references one generation may take. */
export const MAX_REFERENCE_IMAGES = 4;
/** Variants per generation. */
export const MAX_VARIANTS = 4;
/**
 * What a generation gets when the request leaves these out. The model is configuration: the
 * deployment's default (GEMINI_DEFAULT_MODEL), chosen by chooseModel in app/generation/lineup.server.ts.
 */
export const GENERATION_DEFAULTS = { aspectRatio: "1:1", resolution: "1K", variants: 1 } as const;
/** Shopify's own limit on a product title; the prompt uses at most MAX_PRODUCT_TITLE_LENGTH of it. */
const SHOPIFY_PRODUCT_TITLE_LENGTH = 255;

export const generationInputSchema = z
  .object({
    sourceAssetIds: z.array(z.string().min(1)).min(1, "Pick at least one source photo").max(MAX_SOURCE_IMAGES, `Pick at most ${MAX_SOURCE_IMAGES} source photos`),
    referenceAssetIds: z.array(z.string().min(1)).max(MAX_REFERENCE_IMAGES, `Use at most ${MAX_REFERENCE_IMAGES} reference images`).default([]),
    presetId: z.enum(PRESET_IDS as [string, ...string[]], { error: "Unknown style preset" }).optional(),
    customPrompt: z.string().trim().max(MAX_CUSTOM_PROMPT_LENGTH, `Keep the prompt under ${MAX_CUSTOM_PROMPT_LENGTH} characters`).optional(),
    /** Checked against the models this server offers when the generation starts (chooseModel). */
    model: z.string().trim().max(100).optional(),
    aspectRatio: z.enum(ASPECT_RATIOS).default(GENERATION_DEFAULTS.aspectRatio),
    resolution: z.enum(RESOLUTIONS).default(GENERATION_DEFAULTS.resolution),
    variants: z.coerce.number().int().min(1, "At least 1 variant").max(MAX_VARIANTS, `At most ${MAX_VARIANTS} variants`).default(GENERATION_DEFAULTS.variants),
    productId: z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/, "Must be a Shopify product GID").optional(),
    productTitle: z.string().max(SHOPIFY_PRODUCT_TITLE_LENGTH).optional(),
    webhookUrl: z.url().optional(),
  })
  .refine((input) => input.presetId || input.customPrompt, {
    message: "Choose a style preset or describe the scene",
    path: ["presetId"],
  });

export type GenerationInput = z.infer<typeof generationInputSchema>;

export const refineInputSchema = z.object({
  assetId: z.string().min(1),
  instruction: z
    .string()
    .trim()
    .min(3, "Say what to change, e.g. \"darker background\"")
    .max(MAX_REFINE_INSTRUCTION_LENGTH, `Keep the instruction under ${MAX_REFINE_INSTRUCTION_LENGTH} characters`),
  webhookUrl: z.url().optional(),
});

export type RefineInput = z.infer<typeof refineInputSchema>;
