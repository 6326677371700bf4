// What a batch is asked to do, validated once for the admin, the bulk action and the API.
import { z } from "zod";

import { GENERATION_DEFAULTS, MAX_VARIANTS } from "~/generation/generation-input";
import { ASPECT_RATIOS, RESOLUTIONS, type ImageModelId } from "~/generation/models";
import { PRESET_IDS } from "~/generation/presets";
import { MAX_CUSTOM_PROMPT_LENGTH } from "~/generation/prompts";
import { PRODUCT_ID_INPUT, productGid } from "~/products/ids";

/** The most products one batch takes; larger catalogues run as several batches. */
export const MAX_BATCH_PRODUCTS = 1000;
/** Shopify product statuses a filter may name. */
export const PRODUCT_STATUSES = ["ACTIVE", "DRAFT", "ARCHIVED"] as const;
export const BATCH_RESULT_ACTIONS = ["review", "publish"] as const;
export const BATCH_PLACEMENTS = ["featured", "append"] as const;
export const BATCH_ORIGINS = ["admin", "bulk_action", "api"] as const;

const productIds = z
  .array(z.string().trim().regex(PRODUCT_ID_INPUT, 'Use product GIDs like "gid://shopify/Product/123" or numeric ids'))
  .min(1, "Choose at least one product")
  .max(MAX_BATCH_PRODUCTS, `A batch takes at most ${MAX_BATCH_PRODUCTS} products; split the catalogue into several batches`)
  .transform((ids) => [...new Set(ids.map((id) => productGid(id)!))]);

const filterText = (what: string) => z.string().trim().max(255, `Keep the ${what} under 255 characters`).optional();

/** Which products: chosen ones, or the catalogue narrowed by filters (none: every product). */
export const batchSelectionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("products"), productIds }),
  z.object({
    kind: z.literal("filter"),
    search: filterText("search text"),
    productType: filterText("product type"),
    vendor: filterText("vendor"),
    tag: filterText("tag"),
    status: z.enum(PRODUCT_STATUSES, { error: `Use one of ${PRODUCT_STATUSES.join(", ")}` }).optional(),
    /** Only products Lightbox has made no image for yet. */
    withoutLightboxImages: z.boolean().default(false),
  }),
]);
export type BatchSelection = z.infer<typeof batchSelectionSchema>;

export const batchSettingsSchema = z
  .object({
    presetId: z.enum(PRESET_IDS as [string, ...string[]], { error: "Unknown style preset" }).optional(),
    customPrompt: z.string().trim().max(MAX_CUSTOM_PROMPT_LENGTH, `Keep the prompt under ${MAX_CUSTOM_PROMPT_LENGTH} characters`).optional(),
    /** One of the models this server offers, else its default (chooseModel, when the batch is prepared). */
    model: z.string().trim().max(100).optional(),
    aspectRatio: z.enum(ASPECT_RATIOS).default(GENERATION_DEFAULTS.aspectRatio),
    resolution: z.enum(RESOLUTIONS).default(GENERATION_DEFAULTS.resolution),
    variants: z.coerce.number().int().min(1, "At least 1 image per product").max(MAX_VARIANTS, `At most ${MAX_VARIANTS} images per product`).default(1),
    onResult: z.enum(BATCH_RESULT_ACTIONS).default("review"),
    placement: z.enum(BATCH_PLACEMENTS).default("append"),
    webhookUrl: z.url().optional(),
  })
  .refine((input) => input.presetId || input.customPrompt, { message: "Choose a style preset or describe the scene", path: ["presetId"] });
/** The settings once the model is chosen (app/batches/create-batch.server.ts). */
export type BatchSettings = Omit<z.infer<typeof batchSettingsSchema>, "model"> & { model: ImageModelId };

export const batchInputSchema = z.object({
  selection: batchSelectionSchema,
  settings: batchSettingsSchema,
  origin: z.enum(BATCH_ORIGINS).default("admin"),
});
export type BatchInput = z.input<typeof batchInputSchema>;

/** "3 selected products", "Vendor Acme · Active · no Lightbox image yet", "All products". */
export function describeSelection(selection: BatchSelection): string {
  if (selection.kind === "products") return `${selection.productIds.length} selected product${selection.productIds.length === 1 ? "" : "s"}`;
  const parts = [
    selection.search ? `“${selection.search}”` : null,
    selection.productType ? `Type ${selection.productType}` : null,
    selection.vendor ? `Vendor ${selection.vendor}` : null,
    selection.tag ? `Tag ${selection.tag}` : null,
    selection.status ? selection.status.charAt(0) + selection.status.slice(1).toLowerCase() : null,
    selection.withoutLightboxImages ? "no Lightbox image yet" : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" · ") : "All products";
}
