// The JSON bodies of the generation endpoints (snake_case), validated at the edge so a client
// gets every field error at once; the domain (app/generation/) validates again and owns the rules
// (e.g. "a preset or a prompt", credits, ownership of the source images).
import { z } from "zod";

import { ASPECT_RATIOS, IMAGE_MODEL_IDS, RESOLUTIONS } from "~/generation/models";
import { PRESET_IDS } from "~/generation/presets";
import { MAX_CUSTOM_PROMPT_LENGTH, MAX_PRODUCT_TITLE_LENGTH, MAX_REFINE_INSTRUCTION_LENGTH } from "~/generation/prompts";

import { apiConfig } from "./config.server";
import { MAX_API_VARIANTS } from "./openapi";
import { productIdParam } from "./params";
import { checkWebhookUrl } from "./webhooks/url-policy.server";

const assetIds = (max: number, what: string) =>
  z.array(z.string().min(1).max(100), { message: `${what} must be an array of asset ids` }).max(max, `At most ${max} ${what}`);

export const createGenerationBody = z
  .object({
    source_asset_ids: assetIds(6, "source images").min(1, "Give at least one source image (an asset id from POST /assets)"),
    reference_asset_ids: assetIds(4, "reference images").optional(),
    preset_id: z.enum(PRESET_IDS as [string, ...string[]], { message: `Unknown preset; use one of ${PRESET_IDS.join(", ")}` }).optional(),
    custom_prompt: z.string().max(MAX_CUSTOM_PROMPT_LENGTH, `Keep the prompt under ${MAX_CUSTOM_PROMPT_LENGTH} characters`).optional(),
    model: z.enum(IMAGE_MODEL_IDS as [string, ...string[]], { message: `Use one of ${IMAGE_MODEL_IDS.join(", ")}` }).optional(),
    aspect_ratio: z.enum(ASPECT_RATIOS, { message: `Use one of ${ASPECT_RATIOS.join(", ")}` }).optional(),
    resolution: z.enum(RESOLUTIONS, { message: `Use one of ${RESOLUTIONS.join(", ")}` }).optional(),
    variants: z.number({ message: "Must be a number" }).int("Must be a whole number").min(1, "At least 1").max(MAX_API_VARIANTS, `At most ${MAX_API_VARIANTS}`).optional(),
    product_id: productIdParam.optional(),
    product_title: z.string().max(MAX_PRODUCT_TITLE_LENGTH, `Keep the title under ${MAX_PRODUCT_TITLE_LENGTH} characters`).optional(),
    webhook_url: z.string().max(2048, "At most 2048 characters").optional(),
  })
  .strict();

export const refineBody = z
  .object({
    instruction: z
      .string({ message: 'Say what to change, e.g. "darker background"' })
      .trim()
      .min(3, 'Say what to change, e.g. "darker background"')
      .max(MAX_REFINE_INSTRUCTION_LENGTH, `Keep the instruction under ${MAX_REFINE_INSTRUCTION_LENGTH} characters`),
    webhook_url: z.string().max(2048, "At most 2048 characters").optional(),
  })
  .strict();

/** The webhook URL after the network policy (422 for private/loopback/link-local or non-https). */
export async function allowedWebhookUrl(raw: string | undefined): Promise<string | undefined> {
  if (raw === undefined) return undefined;
  const url = await checkWebhookUrl(raw, { allowPrivateNetworks: apiConfig().webhooks.allowPrivateNetworks });
  return url.toString();
}
