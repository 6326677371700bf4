// What the API answers, as zod schemas: the one description of every response body. The
// document's components are generated from them (io "output"), the response builders in
// app/api/resources.server.ts and products.server.ts are typed by them, and the API tests
// validate every response they receive against the generated document.
import { z } from "zod";

import { ASSET_KINDS } from "~/assets/library-page.server";
import { STORED_MIME_TYPES } from "~/assets/ingest-asset.server";
import { ExportStatus, GenerationStatus, PublicationStatus } from "~/generated/prisma/enums";
import { EXPORT_SCOPES } from "~/exports/export-input";
import { ASPECT_RATIOS, IMAGE_MODEL_IDS, RESOLUTIONS } from "~/generation/models";
import { MAX_VARIANTS } from "~/generation/generation-input";
import { PROVIDER_KINDS } from "~/generation/provider";
import { PRODUCT_PAGE_IMAGES } from "~/publish/product-page.server";
import { TOKEN_SCOPES } from "~/tokens/scopes";
import { CREDIT_KINDS } from "~/usage/list-usage.server";

import type { ComponentRegistry } from "./json-schema";

/** How long download URLs in API responses stay valid. */
export const DOWNLOAD_URL_SECONDS = 900;

/** Named response schemas: #/components/schemas/<id>. */
export const responseComponents: ComponentRegistry = z.registry<{ id: string }>();

function component<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  const named = (description ? schema.meta({ description }) : schema) as S;
  responseComponents.add(named, { id });
  return named;
}

const text = (description: string) => z.string().meta({ description });
const dateTime = (description?: string) => (description ? z.iso.datetime().meta({ description }) : z.iso.datetime());
const nullableString = (description?: string) => (description ? z.string().nullable().meta({ description }) : z.string().nullable());
const nullableDateTime = () => z.iso.datetime().nullable();
const nextCursor = () => nullableString("Pass as cursor for the next page; null on the last page.");

export const FieldErrorSchema = component(
  "FieldError",
  z.object({
    field: text('The field, in the API\'s names, e.g. "source_asset_ids" or "scopes.0".'),
    detail: z.string(),
  }),
);

export const ProblemSchema = component(
  "Problem",
  z.object({
    type: z
      .string()
      .regex(/^urn:lightbox:problem:[a-z0-9-]+$/)
      .meta({ description: 'A stable identifier per problem, e.g. "urn:lightbox:problem:invalid-token".' }),
    title: text("Short, human-readable summary of the problem type."),
    status: z.number().int().min(400).max(599),
    detail: text("What went wrong for this request and what to do about it."),
    code: z
      .string()
      .regex(/^[A-Z][A-Z_]*$/)
      .meta({ description: 'Machine-readable code, e.g. "INVALID_TOKEN", "INSUFFICIENT_CREDITS".' }),
    errors: z.array(FieldErrorSchema).optional().meta({ description: "Per-field errors (invalid input)." }),
    request_id: text("The request's id (also in the Request-Id header); quote it to support.").optional(),
  }),
  "An RFC 9457 problem document (Content-Type: application/problem+json).",
);

export const MeSchema = component(
  "Me",
  z.object({
    shop: z.object({ domain: z.string().meta({ examples: ["example.myshopify.com"] }) }),
    token: z.object({
      id: z.string(),
      name: z.string(),
      scopes: z.array(z.enum(TOKEN_SCOPES)),
      expires_at: nullableDateTime(),
      daily_credit_cap: z.number().int().min(1).nullable().meta({ description: "Most credits this token may spend per day (UTC); null: no cap." }),
    }),
    credits: z.object({ balance: z.number().int().min(0) }),
  }),
);

export const AssetUrlsSchema = component(
  "AssetUrls",
  z.object({
    original: z.url().meta({ description: "The stored original (downloads as an attachment)." }),
    display: z.url().meta({ description: "WebP, at most 2048 px on the long side." }),
    thumb: z.url().meta({ description: "WebP thumbnail." }),
    expires_at: dateTime("When the URLs stop working."),
  }),
  `Short-lived download URLs (${DOWNLOAD_URL_SECONDS / 60} minutes).`,
);

const assetFields = {
  id: z.string(),
  object: z.literal("asset"),
  kind: z.enum(ASSET_KINDS),
  filename: z.string().nullable(),
  mime_type: z.enum(Object.values(STORED_MIME_TYPES)),
  format: z.enum(Object.keys(STORED_MIME_TYPES) as Array<keyof typeof STORED_MIME_TYPES>),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  bytes: z.number().int().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  product_id: z.string().nullable(),
  generation_id: z.string().nullable(),
  variant_index: z.number().int().nullable(),
  created_at: dateTime("When the image was added."),
};

export const AssetSchema = component("Asset", z.object({ ...assetFields, urls: AssetUrlsSchema.optional() }));

export const UploadedAssetSchema = component(
  "UploadedAsset",
  z.object({
    ...assetFields,
    kind: z.literal("upload"),
    deduplicated: z.boolean().meta({ description: "true when these exact bytes were already stored." }),
  }),
  "The stored image (without URLs: GET /assets/{id} for those) and whether it already existed.",
);

export const AssetListSchema = component("AssetList", z.object({ data: z.array(AssetSchema), next_cursor: nextCursor() }));

export const GenerationSchema = component(
  "Generation",
  z.object({
    id: z.string(),
    object: z.literal("generation"),
    status: z.enum(GenerationStatus),
    progress: z.number().int().min(0).max(100).meta({ description: "Percent done." }),
    model: z.enum(IMAGE_MODEL_IDS),
    provider: z.enum(PROVIDER_KINDS).meta({ description: '"offline": the local compositor (no AI key configured).' }),
    preset_id: z.string().nullable(),
    custom_prompt: z.string().nullable(),
    instruction: nullableString("Refinements: the follow-up instruction."),
    aspect_ratio: z.enum(ASPECT_RATIOS),
    resolution: z.enum(RESOLUTIONS),
    variants: z.number().int().min(1).max(MAX_VARIANTS),
    source_asset_ids: z.array(z.string()),
    reference_asset_ids: z.array(z.string()),
    product_id: z.string().nullable(),
    parent_asset_id: nullableString("Refinements: the output that was edited."),
    credits_charged: z.number().int().min(0),
    used_own_key: z.boolean().meta({ description: "true when the shop's own Gemini key was used (no credits)." }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    webhook_url: z.string().nullable(),
    created_at: dateTime("When it was requested."),
    started_at: nullableDateTime(),
    finished_at: nullableDateTime(),
    outputs: z.array(AssetSchema).meta({ description: "The generated images, in variant order, with download URLs." }),
    fidelity: z
      .array(
        z.object({
          asset_id: z.string(),
          outcome: z.enum(["passed", "flagged", "skipped"]).meta({ description: '"flagged": the product drifted from the source photo (score below the threshold); "skipped": the check could not run.' }),
          score: z.number().int().min(0).max(100).nullable().meta({ description: "100: the product is unchanged; null when skipped." }),
          reasons: z.array(z.string()).meta({ description: "What drifted (shape, colour, label text, logo), or why the check was skipped." }),
        }),
      )
      .meta({ description: "The fidelity check of each output, once it has landed (a few seconds after the generation ends; free of charge)." }),
  }),
);

export const GenerationListSchema = component("GenerationList", z.object({ data: z.array(GenerationSchema), next_cursor: nextCursor() }));

export const WebhookEventSchema = component(
  "WebhookEvent",
  z.object({
    id: text("Delivery id: the same on every retry of this event (deduplicate on it)."),
    event: z.enum(["generation.succeeded", "generation.failed"]),
    created_at: dateTime("When the generation ended."),
    generation: GenerationSchema,
  }),
);

export const ProductSummarySchema = component(
  "ProductSummary",
  z.object({
    id: z.string().meta({ description: "The product's GID.", examples: ["gid://shopify/Product/8012345678"] }),
    object: z.literal("product"),
    numeric_id: z.string().regex(/^[0-9]+$/),
    title: z.string(),
    handle: z.string(),
    status: text("Shopify's status: ACTIVE, DRAFT, ARCHIVED."),
    image_url: nullableString("The featured image (a small preview from Shopify's CDN)."),
    media_count: z.number().int().min(0).meta({ description: "Media in the product's gallery." }),
    generated_count: z.number().int().min(0).meta({ description: "Lightbox images generated for the product." }),
  }),
);

export const ProductListSchema = component("ProductList", z.object({ data: z.array(ProductSummarySchema), next_cursor: nextCursor() }));

export const PublicationStatusSchema = component("PublicationStatus", z.enum(PublicationStatus));

const galleryItem = z.object({
  media_id: z.string(),
  position: z.number().int().min(0),
  alt: z.string(),
  status: text("Shopify's media status: UPLOADED, PROCESSING, READY, FAILED."),
  preview_url: z.string().nullable(),
  error: z.string().nullable(),
  from_lightbox: z.boolean().meta({ description: "Put there by Lightbox." }),
});

const productImage = z.object({
  asset_id: z.string(),
  kind: z.enum(ASSET_KINDS),
  filename: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  created_at: dateTime("When the image was added."),
  thumb_url: text("Thumbnail URL, valid for an hour."),
  publication: z
    .object({
      id: z.string(),
      status: PublicationStatusSchema,
      alt_text: z.string(),
      error: z.string().nullable(),
      on_product: z.boolean().meta({ description: "Published and still in the product's gallery." }),
    })
    .nullable(),
});

export const ProductSchema = component(
  "Product",
  z.object({
    id: z.string(),
    object: z.literal("product"),
    numeric_id: z.string(),
    title: z.string(),
    gallery: z.array(galleryItem).meta({ description: "The product's media in Shopify now, in order (position 0 is the featured image)." }),
    images: z
      .array(productImage)
      .meta({ description: `Lightbox images for the product (newest first, at most ${PRODUCT_PAGE_IMAGES}) and their publications.` }),
    publication_counts: z.object(Object.fromEntries(Object.values(PublicationStatus).map((status) => [status, z.number().int()])) as Record<PublicationStatus, z.ZodNumber>),
    snapshot: z
      .object({ taken_at: z.iso.datetime(), media_count: z.number().int(), restored_at: nullableDateTime() })
      .nullable()
      .meta({ description: "The gallery kept from before Lightbox's first change (what revert restores)." }),
    can_revert: z.boolean(),
    activity: z
      .object({ kind: z.enum(["publish", "revert"]), status: z.string(), progress: z.number().int(), message: z.string().nullable() })
      .nullable()
      .meta({ description: "The latest publish or revert job for the product." }),
  }),
);

export const PublishAcceptedSchema = component(
  "PublishAccepted",
  z.object({
    object: z.literal("publish_request"),
    product_id: z.string(),
    job_id: nullableString("null when every image was already being published."),
    publications: z.array(
      z.object({
        id: z.string(),
        asset_id: z.string(),
        status: PublicationStatusSchema,
        alt_text: z.string(),
        position: z.number().int().nullable(),
        replace_media_id: z.string().nullable(),
        media_id: z.string().nullable(),
      }),
    ),
    already_in_progress: z.array(z.string()).meta({ description: "Asset ids that were already being published (left as they are)." }),
  }),
);

export const ExportSchema = component(
  "Export",
  z.object({
    id: z.string(),
    object: z.literal("export"),
    scope: z.enum(EXPORT_SCOPES),
    status: z.enum(ExportStatus).meta({ description: "queued, running, ready (download it), failed, or expired (the archive was deleted)." }),
    progress: z.number().int().min(0).max(100),
    image_count: z.number().int().min(0).meta({ description: "Images in the archive (once ready)." }),
    bytes: z.number().int().min(0).nullable().meta({ description: "Size of the archive (once ready)." }),
    error: nullableString("Why it failed."),
    created_at: dateTime(),
    finished_at: nullableDateTime(),
    expires_at: nullableDateTime().meta({ description: "When the archive is deleted." }),
    download_url: z.url().nullable().meta({ description: `The ZIP, while ready: a link valid for ${DOWNLOAD_URL_SECONDS / 60} minutes (GET the export again for a fresh one).` }),
    download_expires_at: nullableDateTime(),
  }),
  "A ZIP of images (stored originals) with manifest.json: per image its kind, file name, size, product, and for generated images the prompt, preset, model, parameters, sources and timestamps, and where it was published.",
);

const billing = () =>
  z.enum(["credits", "own_key", "offline"]).meta({ description: "Who pays: Lightbox credits, the shop's own Gemini key, or nobody (the offline compositor, no AI)." });

export const BatchQuoteSchema = component(
  "BatchQuote",
  z.object({
    object: z.literal("batch_quote"),
    selection: text("The products, in words."),
    matched: z.number().int().min(0).meta({ description: "Products the selection matched." }),
    without_photo: z.number().int().min(0).meta({ description: "Of those, products with no photo to start from (left out)." }),
    products: z.number().int().min(0).meta({ description: "Products the batch would work on." }),
    images_per_product: z.number().int().min(1),
    credits_per_product: z.number().int().min(0),
    total_credits: z.number().int().min(0),
    balance: z.number().int(),
    covered: z.number().int().min(0).meta({ description: "Products the balance pays for; the batch pauses after those and says why." }),
    balance_after: z.number().int(),
    billing: billing(),
    estimated_seconds: z.number().int().min(0).meta({ description: "How long it should take at the Gemini key's images-per-minute quota." }),
    concurrency: z.number().int().min(1).meta({ description: "Products worked on at once." }),
  }),
);

const batchCounts = z.object({
  total: z.number().int(),
  waiting: z.number().int(),
  working: z.number().int().meta({ description: "Being started or made now." }),
  review: z.number().int().meta({ description: "Made, waiting for approval in the app." }),
  publishing: z.number().int(),
  published: z.number().int(),
  rejected: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});

const batchFields = {
  id: z.string(),
  object: z.literal("batch"),
  status: z.enum(["running", "paused", "cancelled", "completed"]).meta({ description: "completed: nothing is left to make or publish (results may still wait for review)." }),
  selection: text("The products, in words."),
  style: text("The preset's name, or the start of the custom prompt."),
  model: z.string(),
  resolution: z.enum(RESOLUTIONS),
  aspect_ratio: z.enum(ASPECT_RATIOS),
  images_per_product: z.number().int(),
  on_result: z.enum(["review", "publish"]),
  placement: z.enum(["featured", "append"]),
  credits_per_product: z.number().int(),
  billing: billing(),
  stop_reason: nullableString("Why a paused batch stopped (e.g. credits ran out) and what to do."),
  counts: batchCounts,
  progress: z.number().int().min(0).max(100).meta({ description: "Percent of products finished." }),
  seconds_left: z.number().int().nullable().meta({ description: "At the current pace; null when nothing is left to make." }),
  webhook_url: z.string().nullable(),
  created_at: dateTime(),
  finished_at: nullableDateTime(),
};

export const BatchSummarySchema = component("BatchSummary", z.object(batchFields));
export const BatchListSchema = component("BatchList", z.object({ data: z.array(BatchSummarySchema), next_cursor: nextCursor() }));

export const BatchSchema = component(
  "Batch",
  z.object({
    ...batchFields,
    items: z.array(
      z.object({
        id: z.string(),
        product_id: z.string(),
        product_title: z.string(),
        status: z.enum(["waiting", "starting", "generating", "review", "publishing", "published", "rejected", "failed", "cancelled"]),
        attempt: z.number().int().min(0).meta({ description: "1 for the first image, more after a regenerate or an automatic retry." }),
        error: nullableString("Why it failed, or what happened the last time."),
        source_asset_id: z.string().nullable().meta({ description: "The product photo it starts from (GET /assets/{id})." }),
        generation_id: z.string().nullable().meta({ description: "The generation of the latest attempt (GET /generations/{id})." }),
        output_asset_ids: z.array(z.string()).meta({ description: "The images made (GET /assets/{id} for download URLs)." }),
      }),
    ),
  }),
);

export const BatchWebhookEventSchema = component(
  "BatchWebhookEvent",
  z.object({
    id: text("Delivery id: the same on every retry of this event (deduplicate on it)."),
    event: z.literal("batch.completed"),
    created_at: dateTime("When the batch completed."),
    batch: BatchSummarySchema,
  }),
);

export const RevertAcceptedSchema = component(
  "RevertAccepted",
  z.object({ object: z.literal("revert_request"), product_id: z.string(), job_id: z.string() }),
);

export const UsageEntrySchema = component(
  "UsageEntry",
  z.object({
    id: z.string(),
    object: z.literal("usage_entry"),
    kind: z.enum(CREDIT_KINDS).meta({ description: "grant (trial, plan cycle, pack), debit (a generation), refund (a failed one), expire (plan credits left at the end of a cycle)." }),
    credits: z.number().int().meta({ description: "Signed: grants and refunds add, debits and expiries subtract." }),
    balance_after: z.number().int().min(0),
    reason: z.string(),
    model: nullableString("Debits and refunds: the image model."),
    generation_id: z.string().nullable(),
    token_id: nullableString("Debits and refunds made through the API: the token that spent."),
    created_at: dateTime(),
  }),
  "One movement of the shop's credits.",
);

export const UsageListSchema = component("UsageList", z.object({ data: z.array(UsageEntrySchema), next_cursor: nextCursor() }));

/** This document itself (GET /openapi.json). */
export const OpenApiDocumentSchema = z.record(z.string(), z.unknown()).meta({ description: "An OpenAPI 3.1 document." });
