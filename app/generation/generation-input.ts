// What a merchant or API client may ask for, validated once (shared by the Studio and the API).
import { z } from "zod";

import { ASPECT_RATIOS, DEFAULT_IMAGE_MODEL, IMAGE_MODEL_IDS, RESOLUTIONS, type ImageModelId } from "./models";
import { PRESET_IDS } from "./presets";
import { MAX_CUSTOM_PROMPT_LENGTH, MAX_REFINE_INSTRUCTION_LENGTH } from "./prompts";

export const MAX_VARIANTS = 4;

export const generationInputSchema = z
  .object({
    sourceAssetIds: z.array(z.string().min(1)).min(1, "Pick at least one source photo").max(6, "Pick at most 6 source photos"),
    referenceAssetIds: z.array(z.string().min(1)).max(4, "Use at most 4 reference images").default([]),
    presetId: z.enum(PRESET_IDS as [string, ...string[]], { message: "Unknown style preset" }).optional(),
    customPrompt: z.string().trim().max(MAX_CUSTOM_PROMPT_LENGTH, `Keep the prompt under ${MAX_CUSTOM_PROMPT_LENGTH} characters`).optional(),
    model: z.enum(IMAGE_MODEL_IDS as [ImageModelId, ...ImageModelId[]]).default(DEFAULT_IMAGE_MODEL),
    aspectRatio: z.enum(ASPECT_RATIOS).default("1:1"),
    resolution: z.enum(RESOLUTIONS).default("1K"),
    variants: z.coerce.number().int().min(1, "At least 1 variant").max(MAX_VARIANTS, `At most ${MAX_VARIANTS} variants`).default(1),
    productId: z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/, "Must be a Shopify product GID").optional(),
    productTitle: z.string().max(255).optional(),
    webhookUrl: z.string().url().optional(),
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
  webhookUrl: z.string().url().optional(),
});

export type RefineInput = z.infer<typeof refineInputSchema>;
