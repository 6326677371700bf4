// What the API accepts, as zod schemas: path parameters, query parameters, headers and bodies.
// apiRoute parses every request with exactly these (app/api/route.server.ts), and the document's
// parameters and request bodies are generated from them (io "input"), so a field is accepted if
// and only if it is documented. The limits come from the domain, which validates again and owns
// the rules (e.g. "a preset or a prompt", credits, which images belong to the shop).
import { z } from "zod";

import { ASSET_KINDS } from "~/assets/library-page.server";
import { BATCH_PLACEMENTS, BATCH_RESULT_ACTIONS, MAX_BATCH_PRODUCTS, PRODUCT_STATUSES } from "~/batches/batch-input";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_MEGAPIXELS } from "~/assets/upload-limits";
import { MAX_PAGE_SIZE } from "~/db/keyset";
import { GenerationStatus } from "~/generated/prisma/enums";
import { GENERATION_DEFAULTS, MAX_REFERENCE_IMAGES, MAX_SOURCE_IMAGES, MAX_VARIANTS } from "~/generation/generation-input";
import { ASPECT_RATIOS, IMAGE_MODEL_IDS, RESOLUTIONS } from "~/generation/models";
import { modelLineup } from "~/generation/lineup.server";
import { PRESET_IDS } from "~/generation/presets";
import { MAX_CUSTOM_PROMPT_LENGTH, MAX_PRODUCT_TITLE_LENGTH, MAX_REFINE_INSTRUCTION_LENGTH } from "~/generation/prompts";
import { EXPORT_SCOPES, MAX_EXPORT_ASSET_IDS } from "~/exports/export-input";
import { MEDIA_GID, PRODUCT_ID_INPUT, productGid } from "~/products/ids";
import { MAX_ALT_TEXT_LENGTH, MAX_ASSET_ID_LENGTH, MAX_GALLERY_POSITION, MAX_PUBLISH_ITEMS } from "~/publish/publish-input";
import { CREDIT_KINDS } from "~/usage/list-usage.server";

import { IDEMPOTENCY_KEY_PATTERN } from "../idempotency.server";
import { MAX_WEBHOOK_URL_LENGTH } from "../webhooks/url-policy.server";
import type { ComponentRegistry } from "./json-schema";

/** Named request bodies: #/components/schemas/<id>. */
export const requestComponents: ComponentRegistry = z.registry<{ id: string }>();
/** Named parameters: #/components/parameters/<id> (the same schema wherever it is used). */
export const parameterComponents: ComponentRegistry = z.registry<{ id: string }>();

function named<S extends z.ZodType>(registry: ComponentRegistry, id: string, schema: S): S {
  registry.add(schema, { id });
  return schema;
}

// Metadata goes on the input side of a transform: for a pipe, zod keeps only the description.
type Meta = { description: string; examples: string[] };

// ---- path parameters: a value that cannot name anything is a 404, like an unknown id ------------
export const idPath = named(parameterComponents, "Id", z.string().min(1, "No such object.").meta({ description: "The object's id.", examples: ["cm3ast0000001"] }));

/** `:id` of /products/{id}: the numeric id or the (URL-encoded) GID; always a GID after parsing. */
export const productIdPath = named(
  parameterComponents,
  "ProductId",
  z
    .string()
    .min(1)
    .meta({
      description: 'A Shopify product: its numeric id ("8012345678") or its GID, URL-encoded ("gid%3A%2F%2Fshopify%2FProduct%2F8012345678").',
      examples: ["8012345678"],
    })
    .transform((raw, ctx) => {
      let value = raw;
      try {
        value = decodeURIComponent(raw);
      } catch {
        // keep it as it came
      }
      const gid = productGid(value.trim());
      if (gid) return gid;
      ctx.addIssue({ code: "custom", message: 'No such product. Use its numeric id ("8012345678") or its GID ("gid://shopify/Product/8012345678").' });
      return z.NEVER;
    }),
);

// ---- query parameters ------------------------------------------------------------------------
/** A Shopify product as a GID ("gid://shopify/Product/123") or its numeric id ("123"); always a GID after parsing. */
const productIdValue = (meta: Meta) =>
  z
    .string()
    .trim()
    .regex(PRODUCT_ID_INPUT, 'Use a product GID like "gid://shopify/Product/123" or its numeric id')
    .meta(meta)
    .transform((value) => productGid(value)!);

export const productIdQuery = named(
  parameterComponents,
  "ProductIdQuery",
  productIdValue({ description: 'A Shopify product, as a GID ("gid://shopify/Product/123") or its numeric id.', examples: ["8012345678"] }).optional(),
);

/** Longer than any cursor Lightbox or Shopify hands out. */
const MAX_CURSOR_LENGTH = 500;
const CURSOR_DESCRIPTION = "next_cursor from the previous page; leave out for the first page.";

export const cursorQuery = named(parameterComponents, "Cursor", z.string().max(MAX_CURSOR_LENGTH).optional().meta({ description: CURSOR_DESCRIPTION }));

/** GET /products: Shopify's own cursor, passed through; and a title search. */
export const productListQuery = z.strictObject({
  query: z.string().trim().max(200, "At most 200 characters").optional().meta({ description: "Only products whose title contains this text.", examples: ["mug"] }),
  cursor: z.string().min(1).max(MAX_CURSOR_LENGTH).optional().meta({ description: CURSOR_DESCRIPTION }),
});

/** `limit`: 1..MAX_PAGE_SIZE, the list's own default when left out. */
export function pageLimitQuery(defaultSize: number) {
  return z.coerce
    .number({ error: `Must be a number from 1 to ${MAX_PAGE_SIZE}` })
    .int(`Must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .min(1, "Must be at least 1")
    .max(MAX_PAGE_SIZE, `Must be at most ${MAX_PAGE_SIZE}`)
    .default(defaultSize)
    .meta({ description: "Page size." });
}

/** A list of ours: its filters, then product_id, limit and cursor. */
export function pageQuery<F extends z.core.$ZodShape>(filters: F, defaultSize: number) {
  return z.strictObject({ ...filters, product_id: productIdQuery, limit: pageLimitQuery(defaultSize), cursor: cursorQuery });
}

const timeQuery = (description: string) =>
  z.iso
    .datetime({ offset: true, error: "Must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z" })
    .optional()
    .meta({ description, examples: ["2026-12-01T00:00:00Z"] })
    .transform((value) => (value ? new Date(value) : undefined));

/** GET /usage: the ledger's filters, limit and cursor. */
export function usageQuery(defaultSize: number) {
  return z.strictObject({
    kind: z.enum(CREDIT_KINDS, { error: oneOf(CREDIT_KINDS) }).optional().meta({ description: "Only entries of this kind." }),
    model: z.enum(IMAGE_MODEL_IDS, { error: oneOf(IMAGE_MODEL_IDS) }).optional().meta({ description: "Only debits and refunds for this image model." }),
    since: timeQuery("Entries at or after this time."),
    until: timeQuery("Entries before this time."),
    limit: pageLimitQuery(defaultSize),
    cursor: cursorQuery,
  });
}

const oneOf = (values: readonly string[]) => `Must be one of ${values.join(", ")}`;
const pickOneOf = (values: readonly string[]) => `Use one of ${values.join(", ")}`;

/**
 * The image model. The document lists every model Lightbox knows (a stable document); which of
 * them this server offers is configuration (GEMINI_MODELS) and can shrink while it runs (a model
 * Google retired), so the domain checks the request against the offered ones (chooseModel: a 422
 * naming them) and an unknown id is refused with the offered list too (ADR 0090).
 */
const modelField = () =>
  z
    .enum(IMAGE_MODEL_IDS, { error: () => pickOneOf(modelLineup().offered) })
    .optional()
    .meta({ description: "One of the image models this server offers (a deprecated or retired one is refused with the offered list). Default: the server's default model." });

export const assetKindQuery = z.enum(ASSET_KINDS, { error: oneOf(ASSET_KINDS) }).optional().meta({ description: "Only images of this kind." });
const GENERATION_STATUSES = Object.values(GenerationStatus);
export const generationStatusQuery = z
  .enum(GENERATION_STATUSES, { error: oneOf(GENERATION_STATUSES) })
  .optional()
  .meta({ description: "Only generations in this state." });

// ---- headers ---------------------------------------------------------------------------------
export const idempotencyKeyHeader = named(
  parameterComponents,
  "IdempotencyKey",
  z
    .string()
    .regex(IDEMPOTENCY_KEY_PATTERN, "1-255 visible ASCII characters")
    .optional()
    .meta({
      description:
        "Makes a retried POST safe: the same key with the same request replays the first response (Idempotent-Replayed: true) " +
        "for 24 hours; the same key with a different request is refused (422); while the first is still running, 409.",
      examples: ["3f1c9a52-7d4e-4bb0-9a61-upload-mug"],
    }),
);

// ---- bodies ----------------------------------------------------------------------------------
const webhookUrl = (description?: string) =>
  z
    .string()
    .max(MAX_WEBHOOK_URL_LENGTH, `At most ${MAX_WEBHOOK_URL_LENGTH} characters`)
    .optional()
    .meta({ format: "uri", examples: ["https://your.server/hooks/lightbox"], ...(description ? { description } : {}) });

const assetIds = (max: number, what: string) =>
  z.array(z.string().min(1).max(100), { error: `${what} must be an array of asset ids` }).max(max, `At most ${max} ${what}`);

/** What a generation and a batch both ask for: the scene, the model and the image's shape. */
const sceneFields = () => ({
  preset_id: z.enum(PRESET_IDS, { error: `Unknown preset; use one of ${PRESET_IDS.join(", ")}` }).optional(),
  custom_prompt: z
    .string()
    .max(MAX_CUSTOM_PROMPT_LENGTH, `Keep the prompt under ${MAX_CUSTOM_PROMPT_LENGTH} characters`)
    .optional()
    .meta({ description: "Describe the scene in your own words.", examples: ["On a marble counter in soft morning light"] }),
  model: modelField(),
  aspect_ratio: z.enum(ASPECT_RATIOS, { error: pickOneOf(ASPECT_RATIOS) }).default(GENERATION_DEFAULTS.aspectRatio),
  resolution: z.enum(RESOLUTIONS, { error: pickOneOf(RESOLUTIONS) }).default(GENERATION_DEFAULTS.resolution),
});

/** How many images to make from one request (or for one product of a batch). */
const imageCount = (fallback: number, example: number) =>
  z
    .number({ error: "Must be a number" })
    .int("Must be a whole number")
    .min(1, "At least 1")
    .max(MAX_VARIANTS, `At most ${MAX_VARIANTS}`)
    .default(fallback)
    .meta({ examples: [example] });

export const GenerationRequest = named(
  requestComponents,
  "GenerationRequest",
  z
    .strictObject({
      source_asset_ids: assetIds(MAX_SOURCE_IMAGES, "source images")
        .min(1, "Give at least one source image (an asset id from POST /assets)")
        .meta({ description: "Photos of the product (asset ids).", examples: [["cm3ast0000001"]] }),
      reference_asset_ids: assetIds(MAX_REFERENCE_IMAGES, "reference images")
        .optional()
        .meta({ description: "Style references (asset ids).", examples: [["cm3ast0000002"]] }),
      ...sceneFields(),
      variants: imageCount(GENERATION_DEFAULTS.variants, 2),
      product_id: productIdValue({ description: "The product the images are for.", examples: ["gid://shopify/Product/8012345678"] }).optional(),
      product_title: z
        .string()
        .max(MAX_PRODUCT_TITLE_LENGTH, `Keep the title under ${MAX_PRODUCT_TITLE_LENGTH} characters`)
        .optional()
        .meta({ description: "Helps the model name the product.", examples: ["Ceramic Coffee Mug"] }),
      webhook_url: webhookUrl("https URL to POST the outcome to (see webhooks); private and loopback networks are refused."),
    })
    .meta({ description: "Give preset_id, custom_prompt, or both." }),
);

const filterText = (description: string, example: string) =>
  z.string().trim().min(1).max(255, "At most 255 characters").optional().meta({ description, examples: [example] });

export const BatchRequest = named(
  requestComponents,
  "BatchRequest",
  z
    .strictObject({
      product_ids: z
        .array(productIdValue({ description: "A product (GID or numeric id).", examples: ["8012345678"] }), { error: "product_ids must be an array of product ids" })
        .min(1, "Give at least one product, or leave product_ids out")
        .max(MAX_BATCH_PRODUCTS, `At most ${MAX_BATCH_PRODUCTS} products per batch`)
        .optional()
        .meta({ description: `These products (at most ${MAX_BATCH_PRODUCTS}); not with filter.`, examples: [["8012345678", "8012345679"]] }),
      filter: z
        .strictObject({
          search: filterText("Only products whose title contains this.", "mug"),
          product_type: filterText("Only this product type.", "Drinkware"),
          vendor: filterText("Only this vendor.", "Harbor & Pine"),
          tag: filterText("Only products with this tag.", "summer"),
          status: z.enum(PRODUCT_STATUSES, { error: oneOf(PRODUCT_STATUSES) }).optional().meta({ description: "Only products in this Shopify status." }),
          without_lightbox_images: z.boolean().default(false).meta({ description: "Only products Lightbox has made no image for yet." }),
        })
        .optional()
        .meta({ description: "The catalogue narrowed by these (leave out product_ids and filter for every product)." }),
      ...sceneFields(),
      images_per_product: imageCount(1, 1),
      on_result: z
        .enum(BATCH_RESULT_ACTIONS, { error: oneOf(BATCH_RESULT_ACTIONS) })
        .default("review")
        .meta({ description: "review: results wait for approval in the app; publish: each is published to its product as it is made, with Gemini alt text." }),
      placement: z
        .enum(BATCH_PLACEMENTS, { error: oneOf(BATCH_PLACEMENTS) })
        .default("append")
        .meta({ description: "Where a published image goes: featured (first in the gallery) or append (last)." }),
      webhook_url: webhookUrl("https URL to POST batch.completed to (see webhooks); private and loopback networks are refused."),
    })
    .refine((body) => !(body.product_ids && body.filter), { message: "Give product_ids or filter, not both", path: ["filter"] })
    .meta({ description: "Give product_ids or filter (neither: every product), and preset_id or custom_prompt." }),
);

export const batchCreateQuery = z.strictObject({
  dry_run: z
    .enum(["true", "false"], { error: "Must be true or false" })
    .optional()
    .transform((value) => value === "true")
    .meta({ description: "true: answer 200 with the cost preview and estimate only; nothing is started or charged." }),
});

export const ExportRequest = named(
  requestComponents,
  "ExportRequest",
  z
    .strictObject({
      scope: z
        .enum(EXPORT_SCOPES, { error: oneOf(EXPORT_SCOPES) })
        .default("library")
        .meta({ description: "library: images and their manifest. all_data: also generations, publications, the credit ledger, API token metadata and the request log." }),
      asset_ids: assetIds(MAX_EXPORT_ASSET_IDS, "images")
        .min(1, "Give at least one image, or leave asset_ids out")
        .optional()
        .meta({ description: "Export these images (not with kind or product_id).", examples: [["cm3ast0000001", "cm3ast0000002"]] }),
      kind: z.enum(ASSET_KINDS, { error: oneOf(ASSET_KINDS) }).optional().meta({ description: "Only images of this kind." }),
      product_id: productIdValue({ description: "Only images of this product.", examples: ["8012345678"] }).optional(),
    })
    .meta({ description: "Leave everything out to export every image." }),
);

export const RefineRequest = named(
  requestComponents,
  "RefineRequest",
  z.strictObject({
    instruction: z
      .string({ error: 'Say what to change, e.g. "darker background"' })
      .trim()
      .min(3, 'Say what to change, e.g. "darker background"')
      .max(MAX_REFINE_INSTRUCTION_LENGTH, `Keep the instruction under ${MAX_REFINE_INSTRUCTION_LENGTH} characters`)
      .meta({ examples: ["darker background"] }),
    webhook_url: webhookUrl(),
  }),
);

export const PublishRequest = named(
  requestComponents,
  "PublishRequest",
  z
    .strictObject({
      asset_ids: z
        .array(z.string().min(1).max(MAX_ASSET_ID_LENGTH), { error: "A list of asset ids" })
        .min(1, "Choose at least one image to publish.")
        .max(MAX_PUBLISH_ITEMS, `Publish at most ${MAX_PUBLISH_ITEMS} images at once.`)
        .meta({ description: "Images to publish (generated or uploaded), in gallery order.", examples: [["cm3ast0000001"]] }),
      alt_texts: z
        .record(z.string(), z.string().max(MAX_ALT_TEXT_LENGTH, `Alt text can be at most ${MAX_ALT_TEXT_LENGTH} characters.`))
        .optional()
        .meta({
          description: "Alt text per asset id; without one the image's generated description is used.",
          examples: [{ cm3ast0000001: "Terracotta mug on a marble counter" }],
        }),
      position: z
        .number()
        .int("A whole number")
        .min(0)
        .max(MAX_GALLERY_POSITION)
        .optional()
        .meta({ description: "0-based gallery position of the first image (the others follow it); default: appended.", examples: [0] }),
      featured: z.boolean().optional().meta({ description: "true: the (first) image becomes the featured image (position 0).", examples: [true] }),
      replace_media_id: z
        .string()
        .regex(MEDIA_GID, 'A media GID of the product, e.g. "gid://shopify/MediaImage/123"')
        .optional()
        .meta({
          description: "With one asset: take this product image's place (it is kept in Files, so revert can restore it).",
          examples: ["gid://shopify/MediaImage/4011"],
        }),
    })
    .superRefine((body, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      if (new Set(body.asset_ids).size !== body.asset_ids.length) issue("asset_ids", "The same image was chosen twice.");
      for (const key of Object.keys(body.alt_texts ?? {})) {
        if (!body.asset_ids.includes(key)) issue("alt_texts", `${key} is not one of asset_ids.`);
      }
      if (body.replace_media_id !== undefined) {
        if (body.asset_ids.length !== 1) issue("replace_media_id", "Replace one product image with exactly one asset.");
        if (body.position !== undefined || body.featured) issue("replace_media_id", "Give replace_media_id, or position/featured, not both.");
      }
      if (body.featured && body.position !== undefined && body.position !== 0) issue("featured", "featured puts the image first (position 0); leave out position.");
    }),
);

export type PublishBody = z.output<typeof PublishRequest>;

/** multipart/form-data: the file's field. readUpload (app/assets) reads and checks the bytes. */
export const UploadRequest = z.strictObject({
  file: z.file({ error: 'No file found: put the image in a "file" field' }).meta({ description: "The image file." }),
});

export const UPLOAD_DESCRIPTION =
  `JPEG, PNG, WebP (HEIC/AVIF where supported), at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB and ${MAX_UPLOAD_MEGAPIXELS} megapixels. ` +
  "The image is validated, oriented, converted to sRGB and stripped of GPS and other personal metadata. " +
  "Uploading the same bytes again returns the existing image (200, deduplicated: true).";
