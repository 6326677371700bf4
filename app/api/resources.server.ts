// The API's JSON shapes (snake_case, ISO 8601 times), typed by their schemas in
// contract/responses.ts; the tests validate real responses against the generated document.
import type { z } from "zod";

import { assetUrls } from "~/assets/get-asset.server";
import type { Asset, CreditEntry, FidelityCheck, Generation } from "~/generated/prisma/client";
import { learnFromOutcome } from "~/generation/lineup.server";
import type { ObjectStorage } from "~/storage/types";

import { type AssetSchema, DOWNLOAD_URL_SECONDS, type GenerationSchema, type UploadedAssetSchema, type UsageEntrySchema } from "./contract/responses";

export type AssetResource = z.output<typeof AssetSchema>;
export type UploadedAssetResource = z.output<typeof UploadedAssetSchema>;
export type GenerationResource = z.output<typeof GenerationSchema>;

export function assetResource(asset: Asset): AssetResource {
  return {
    id: asset.id,
    object: "asset",
    kind: asset.kind,
    filename: asset.filename,
    // The stored formats are STORED_MIME_TYPES' (app/assets/ingest-asset.server.ts).
    mime_type: asset.mimeType as AssetResource["mime_type"],
    format: asset.format as AssetResource["format"],
    width: asset.width,
    height: asset.height,
    bytes: asset.bytes,
    sha256: asset.sha256,
    product_id: asset.productId,
    generation_id: asset.generationId,
    variant_index: asset.variantIndex,
    created_at: asset.createdAt.toISOString(),
  };
}

/** An upload's answer: the asset (no URLs) and whether these bytes were stored before. */
export function uploadedAssetResource(asset: Asset, deduplicated: boolean): UploadedAssetResource {
  if (asset.kind !== "upload") throw new Error(`Asset ${asset.id} was stored as ${asset.kind}, not as an upload`);
  return { ...assetResource(asset), kind: asset.kind, deduplicated };
}

/** The asset with short-lived download URLs for its three renditions. */
export async function assetWithUrls(storage: ObjectStorage, asset: Asset): Promise<AssetResource> {
  const urls = await assetUrls(storage, asset, DOWNLOAD_URL_SECONDS);
  return {
    ...assetResource(asset),
    urls: { original: urls.original, display: urls.display, thumb: urls.thumb, expires_at: urls.expiresAt },
  };
}

export async function generationResource(
  storage: ObjectStorage,
  generation: Generation & { outputs: Array<Asset & { fidelity?: FidelityCheck | null }> },
): Promise<GenerationResource> {
  // A model Gemini no longer knows (the failure came from a worker process): stop offering it here too.
  learnFromOutcome(generation);
  return {
    id: generation.id,
    object: "generation",
    status: generation.status,
    progress: generation.status === "succeeded" ? 100 : generation.progress,
    model: generation.model as GenerationResource["model"],
    provider: generation.provider as GenerationResource["provider"],
    preset_id: generation.presetId,
    custom_prompt: generation.customPrompt,
    instruction: generation.instruction,
    aspect_ratio: generation.aspectRatio as GenerationResource["aspect_ratio"],
    resolution: generation.resolution as GenerationResource["resolution"],
    variants: generation.variants,
    source_asset_ids: generation.sourceAssetIds,
    reference_asset_ids: generation.referenceAssetIds,
    product_id: generation.productId,
    parent_asset_id: generation.parentAssetId,
    credits_charged: generation.creditsCharged,
    used_own_key: generation.usedOwnKey,
    error: generation.errorCode ? { code: generation.errorCode, message: generation.errorMessage ?? "" } : null,
    webhook_url: generation.webhookUrl,
    created_at: generation.createdAt.toISOString(),
    started_at: generation.startedAt?.toISOString() ?? null,
    finished_at: generation.finishedAt?.toISOString() ?? null,
    outputs: await Promise.all(generation.outputs.map((asset) => assetWithUrls(storage, asset))),
    fidelity: generation.outputs.flatMap((asset) =>
      asset.fidelity
        ? [{ asset_id: asset.id, outcome: asset.fidelity.outcome as "passed" | "flagged" | "skipped", score: asset.fidelity.score, reasons: asset.fidelity.reasons }]
        : [],
    ),
  };
}

export function usageEntryResource(entry: CreditEntry): z.output<typeof UsageEntrySchema> {
  return {
    id: entry.id,
    object: "usage_entry",
    kind: entry.kind,
    credits: entry.amount,
    balance_after: entry.balanceAfter,
    reason: entry.reason,
    model: entry.model,
    generation_id: entry.generationId,
    token_id: entry.tokenId,
    created_at: entry.createdAt.toISOString(),
  };
}
