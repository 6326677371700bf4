// The API's view of batches (the Batch, BatchSummary and BatchQuote schemas of contract/responses.ts)
// and the request body as the domain's batch input.
import type { z } from "zod";

import type { BatchInput } from "~/batches/batch-input";
import type { BatchSummary, BatchView } from "~/batches/batch-view.server";
import type { BatchPreview } from "~/batches/create-batch.server";

import type { BatchRequest } from "./contract/requests";
import type { BatchQuoteSchema, BatchSchema, BatchSummarySchema } from "./contract/responses";

export function batchInput(body: z.output<typeof BatchRequest>, webhookUrl: string | undefined): BatchInput {
  const { filter } = body;
  return {
    origin: "api",
    selection: body.product_ids
      ? { kind: "products", productIds: body.product_ids }
      : {
          kind: "filter",
          search: filter?.search,
          productType: filter?.product_type,
          vendor: filter?.vendor,
          tag: filter?.tag,
          status: filter?.status,
          withoutLightboxImages: filter?.without_lightbox_images ?? false,
        },
    settings: {
      presetId: body.preset_id,
      customPrompt: body.custom_prompt,
      model: body.model,
      aspectRatio: body.aspect_ratio,
      resolution: body.resolution,
      variants: body.images_per_product,
      onResult: body.on_result,
      placement: body.placement,
      webhookUrl,
    },
  };
}

export function batchSummaryResource(batch: BatchSummary): z.output<typeof BatchSummarySchema> {
  return {
    id: batch.id,
    object: "batch",
    status: batch.status,
    selection: batch.selection,
    style: batch.style,
    model: batch.model,
    resolution: batch.resolution as z.output<typeof BatchSummarySchema>["resolution"],
    aspect_ratio: batch.aspectRatio as z.output<typeof BatchSummarySchema>["aspect_ratio"],
    images_per_product: batch.variants,
    on_result: batch.onResult as "review" | "publish",
    placement: batch.placement as "featured" | "append",
    credits_per_product: batch.pricePerItem,
    billing: batch.billing,
    stop_reason: batch.stopReason,
    counts: batch.counts,
    progress: batch.progress,
    seconds_left: batch.secondsLeft,
    webhook_url: batch.webhookUrl,
    created_at: batch.createdAt,
    finished_at: batch.finishedAt,
  };
}

export function batchResource(batch: BatchView): z.output<typeof BatchSchema> {
  return {
    ...batchSummaryResource(batch),
    items: batch.items.map((item) => ({
      id: item.id,
      product_id: item.productId,
      product_title: item.productTitle,
      status: item.status,
      attempt: item.attempt,
      error: item.errorMessage,
      source_asset_id: item.source?.id ?? null,
      generation_id: item.generationId,
      output_asset_ids: item.outputs.map((output) => output.id),
    })),
  };
}

export function batchQuoteResource(preview: BatchPreview): z.output<typeof BatchQuoteSchema> {
  const { quote } = preview;
  return {
    object: "batch_quote",
    selection: preview.selection,
    matched: quote.matched,
    without_photo: quote.withoutPhoto,
    products: quote.products,
    images_per_product: quote.imagesPerProduct,
    credits_per_product: quote.pricePerProduct,
    total_credits: quote.totalCredits,
    balance: quote.balance,
    covered: quote.covered,
    balance_after: quote.balanceAfter,
    billing: quote.billing,
    estimated_seconds: quote.estimatedSeconds,
    concurrency: quote.concurrency,
  };
}
