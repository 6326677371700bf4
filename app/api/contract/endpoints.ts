// Every endpoint of the public API. A route file serves one with
//   export const loader = apiRoute(endpoints.getAsset, async ({ params, query, body, respond }) => ...)
// and the OpenAPI document (GET /api/v1/openapi.json) is generated from this list.
import { z } from "zod";

import { MAX_UPLOAD_BYTES } from "~/assets/upload-limits";
import { ASSET_PAGE_SIZE } from "~/assets/list-assets.server";
import { GENERATION_PAGE_SIZE } from "~/generation/get-generation.server";
import { PRODUCT_PAGE_SIZE } from "~/products/list-products.server";
import { USAGE_PAGE_SIZE } from "~/usage/list-usage.server";

import { BATCH_PAGE_SIZE } from "~/batches/batch-view.server";

import { defineEndpoint, nameEndpoints, SHOPIFY_PROBLEMS } from "./endpoint";
import {
  batchCreateQuery,
  BatchRequest,
  cursorQuery,
  pageLimitQuery,
  assetKindQuery,
  generationStatusQuery,
  ExportRequest,
  GenerationRequest,
  idPath,
  pageQuery,
  productIdPath,
  productIdQuery,
  productListQuery,
  PublishRequest,
  RefineRequest,
  UPLOAD_DESCRIPTION,
  UploadRequest,
  usageQuery,
} from "./requests";
import {
  AssetListSchema,
  BatchListSchema,
  BatchQuoteSchema,
  BatchSchema,
  BatchWebhookEventSchema,
  DOWNLOAD_URL_SECONDS,
  AssetSchema,
  ExportSchema,
  GenerationListSchema,
  GenerationSchema,
  MeSchema,
  OpenApiDocumentSchema,
  ProductListSchema,
  ProductSchema,
  PublishAcceptedSchema,
  RevertAcceptedSchema,
  UploadedAssetSchema,
  UsageListSchema,
  WebhookEventSchema,
} from "./responses";

/** Room for the multipart framing around an upload of MAX_UPLOAD_BYTES. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const byId = z.strictObject({ id: idPath });
const byProduct = z.strictObject({ id: productIdPath });

export const endpoints = nameEndpoints({
  getMe: defineEndpoint("GET /me", "read", "Account", "The token's shop, name, scopes and the shop's credit balance", {
    responses: { 200: { description: "The token and its shop", body: MeSchema } },
  }),
  listAssets: defineEndpoint("GET /assets", "read", "Assets", "List images, newest first", {
    query: pageQuery({ kind: assetKindQuery }, ASSET_PAGE_SIZE),
    responses: { 200: { description: "One page of images", body: AssetListSchema } },
  }),
  uploadAsset: defineEndpoint("POST /assets", "write", "Assets", "Upload an image", {
    description: UPLOAD_DESCRIPTION,
    query: z.strictObject({ product_id: productIdQuery }),
    body: { type: "multipart/form-data", schema: UploadRequest },
    maxBodyBytes: MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES,
    responses: {
      201: { description: "Stored", body: UploadedAssetSchema, location: true },
      200: { description: "Already stored: the same bytes were uploaded before", body: UploadedAssetSchema, location: true },
    },
  }),
  getAsset: defineEndpoint("GET /assets/{id}", "read", "Assets", `One image, with download URLs valid for ${DOWNLOAD_URL_SECONDS / 60} minutes`, {
    params: byId,
    responses: { 200: { description: "The image", body: AssetSchema } },
  }),
  deleteAsset: defineEndpoint("DELETE /assets/{id}", "write", "Assets", "Delete an image and its stored files for good", {
    params: byId,
    responses: { 204: { description: "Deleted" } },
  }),
  refineAsset: defineEndpoint("POST /assets/{id}/refine", "write", "Generations", "Edit an image with a follow-up instruction", {
    description: 'Starts a new generation that edits this image as instructed ("darker background"). 202 with the generation; poll its Location.',
    params: byId,
    body: { type: "application/json", schema: RefineRequest },
    responses: { 202: { description: "Accepted: the refinement is queued", body: GenerationSchema, location: true } },
    problems: { 402: "PaymentRequired", ...SHOPIFY_PROBLEMS },
  }),
  listGenerations: defineEndpoint("GET /generations", "read", "Generations", "List generations, newest first", {
    query: pageQuery({ status: generationStatusQuery }, GENERATION_PAGE_SIZE),
    responses: { 200: { description: "One page of generations", body: GenerationListSchema } },
  }),
  createGeneration: defineEndpoint("POST /generations", "write", "Generations", "Generate studio images from product photos", {
    description:
      "Debits the credits up front (none with the shop's own Gemini key) and queues the work: 202 with the generation " +
      "and its Location. Poll GET /generations/{id} or pass webhook_url. A failed generation refunds its credits. " +
      "A token created with a daily credit cap is refused (429 DAILY_CREDIT_CAP, Retry-After: until 00:00 UTC) when this would pass it.",
    body: { type: "application/json", schema: GenerationRequest },
    responses: { 202: { description: "Accepted: the generation is queued", body: GenerationSchema, location: true } },
    problems: { 402: "PaymentRequired", 404: "NotFound", ...SHOPIFY_PROBLEMS },
  }),
  getGeneration: defineEndpoint("GET /generations/{id}", "read", "Generations", "A generation: status, progress and outputs with download URLs", {
    params: byId,
    responses: { 200: { description: "The generation", body: GenerationSchema } },
  }),
  listProducts: defineEndpoint("GET /products", "read", "Products", "List the shop's products from Shopify, by title", {
    description: `${PRODUCT_PAGE_SIZE} products a page. next_cursor is Shopify's cursor, passed through: send it back unchanged as cursor.`,
    query: productListQuery,
    responses: { 200: { description: "One page of products", body: ProductListSchema } },
    problems: SHOPIFY_PROBLEMS,
  }),
  getProduct: defineEndpoint("GET /products/{id}", "read", "Products", "A product's gallery in Shopify and Lightbox's images for it, with their publications", {
    params: byProduct,
    responses: { 200: { description: "The product", body: ProductSchema } },
    problems: SHOPIFY_PROBLEMS,
  }),
  publishToProduct: defineEndpoint("POST /products/{id}/publish", "write", "Products", "Publish images to the product's gallery", {
    description:
      "Queues one publication per image and a job that adds them to the product in Shopify (202). Poll GET /products/{id} " +
      "until each publication is ready (or failed). Images already being published are left alone (already_in_progress). " +
      "The gallery as it was before Lightbox first changed it is kept for revert.",
    params: byProduct,
    body: { type: "application/json", schema: PublishRequest },
    responses: { 202: { description: "Accepted: the publish job is queued", body: PublishAcceptedSchema, location: true } },
    problems: SHOPIFY_PROBLEMS,
  }),
  revertProduct: defineEndpoint("POST /products/{id}/revert", "write", "Products", "Restore the product's gallery to what it was before Lightbox changed it", {
    description: "Queues a revert job (202). 409 when there is nothing to revert, or images are still being published.",
    params: byProduct,
    responses: { 202: { description: "Accepted: the revert job is queued", body: RevertAcceptedSchema, location: true } },
    problems: { 409: "ConflictOrInFlight", ...SHOPIFY_PROBLEMS },
  }),
  createBatch: defineEndpoint("POST /batches", "write", "Batches", "Run a style over many products (or preview the cost with dry_run=true)", {
    description:
      "Products are the given product_ids, or the catalogue narrowed by filter (neither: every product); products without a photo " +
      "are left out. With dry_run=true: 200 with the cost preview and the estimated time, nothing started. Otherwise 202 with the " +
      "batch and its Location: it works on a few products at a time, paced at the Gemini key's images-per-minute quota, charging " +
      "each product when it starts (a failed one is refunded). When the balance runs out it pauses and says why; POST " +
      "/batches/{id}/resume once credits are bought. A token with a daily credit cap holds its batches to it too (they wait for the " +
      "next day). Pass webhook_url for batch.completed.",
    query: batchCreateQuery,
    body: { type: "application/json", schema: BatchRequest },
    responses: {
      202: { description: "Accepted: the batch runs", body: BatchSchema, location: true },
      200: { description: "dry_run=true: the cost preview and estimate, nothing started", body: BatchQuoteSchema },
    },
    problems: { 402: "PaymentRequired", ...SHOPIFY_PROBLEMS },
  }),
  listBatches: defineEndpoint("GET /batches", "read", "Batches", "List batches, newest first", {
    query: z.strictObject({ limit: pageLimitQuery(BATCH_PAGE_SIZE), cursor: cursorQuery }),
    responses: { 200: { description: "One page of batches", body: BatchListSchema } },
  }),
  getBatch: defineEndpoint("GET /batches/{id}", "read", "Batches", "A batch: counts, progress, estimate, and every product's state", {
    params: byId,
    responses: { 200: { description: "The batch", body: BatchSchema } },
  }),
  pauseBatch: defineEndpoint("POST /batches/{id}/pause", "write", "Batches", "Pause a batch (products already started finish)", {
    params: byId,
    responses: { 200: { description: "The batch, paused", body: BatchSchema } },
    problems: { 409: "Conflict" },
  }),
  resumeBatch: defineEndpoint("POST /batches/{id}/resume", "write", "Batches", "Resume a paused batch where it stopped", {
    params: byId,
    responses: { 200: { description: "The batch, running", body: BatchSchema } },
    problems: { 409: "Conflict" },
  }),
  cancelBatch: defineEndpoint("POST /batches/{id}/cancel", "write", "Batches", "Cancel a batch: products not started are not charged, those being made are refunded", {
    params: byId,
    responses: { 200: { description: "The batch, cancelled", body: BatchSchema } },
    problems: { 409: "Conflict" },
  }),
  listUsage: defineEndpoint("GET /usage", "read", "Usage", "The shop's credit ledger, newest first", {
    description:
      "Every movement of the shop's credits: grants (trial, each plan cycle, packs), debits (generations), refunds (failed " +
      "generations) and plan credits that expired at the end of a cycle. balance_after is the balance right after each entry.",
    query: usageQuery(USAGE_PAGE_SIZE),
    responses: { 200: { description: "One page of ledger entries", body: UsageListSchema } },
  }),
  createExport: defineEndpoint("POST /exports", "write", "Exports", "Export images (chosen ones, a filter, or all) or all of the shop's data as a ZIP", {
    description:
      "Queues the archive (202 with the export and its Location). Poll GET /exports/{id} until status is ready, then download " +
      "download_url. The archive is built as a stream (any size) and kept for 24 hours.",
    body: { type: "application/json", schema: ExportRequest },
    responses: { 202: { description: "Accepted: the export is queued", body: ExportSchema, location: true } },
    problems: { 404: "NotFound" },
  }),
  getExport: defineEndpoint("GET /exports/{id}", "read", "Exports", "An export: status, progress and, once ready, its download URL", {
    params: byId,
    responses: { 200: { description: "The export", body: ExportSchema } },
  }),
  getOpenApi: defineEndpoint("GET /openapi.json", null, "Meta", "This OpenAPI document", {
    responses: { 200: { description: "OpenAPI 3.1 document", body: OpenApiDocumentSchema } },
    problems: { 400: "BadRequest" },
  }),
});

export type EndpointName = keyof typeof endpoints;

/** Requests Lightbox sends: the document's `webhooks`. */
export const webhooks = {
  generationFinished: {
    operationId: "generationFinished",
    summary: "A generation created with webhook_url succeeded or failed",
    description:
      "POSTed to the generation's webhook_url with headers Lightbox-Event, Lightbox-Delivery and " +
      'Lightbox-Signature: t=<unix seconds>,v1=<hex>. v1 is HMAC-SHA256 over "<t>.<raw body>" keyed with the ' +
      "shop's signing secret (whsec_..., Settings > API); during a key rotation several v1 values are sent, accept " +
      "any. Refuse timestamps older than 5 minutes. Answer 2xx within 10 seconds; anything else is retried with " +
      "backoff, up to 8 attempts.",
    tags: ["Generations"],
    body: WebhookEventSchema,
  },
  batchCompleted: {
    operationId: "batchCompleted",
    summary: "A batch created with webhook_url has nothing left to make or publish",
    description:
      "POSTed to the batch's webhook_url with the same headers and signature as generationFinished (Lightbox-Event: " +
      "batch.completed). Results may still wait for review in the app. Answer 2xx within 10 seconds; anything else is retried.",
    tags: ["Batches"],
    body: BatchWebhookEventSchema,
  },
} as const;
