// The API's JSON shapes (snake_case, ISO 8601 times). Each has a schema in openapi.ts; the
// tests validate real responses against those schemas, so the two cannot drift apart.
import { assetUrls } from "~/assets/get-asset.server";
import type { Asset, Generation } from "~/generated/prisma/client";
import type { ObjectStorage } from "~/storage/types";

/** How long download URLs in API responses stay valid. */
export const DOWNLOAD_URL_SECONDS = 900;

export type AssetResource = {
  id: string;
  object: "asset";
  kind: Asset["kind"];
  filename: string | null;
  mime_type: string;
  format: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  product_id: string | null;
  generation_id: string | null;
  variant_index: number | null;
  created_at: string;
  urls?: { original: string; display: string; thumb: string; expires_at: string };
};

export function assetResource(asset: Asset): AssetResource {
  return {
    id: asset.id,
    object: "asset",
    kind: asset.kind,
    filename: asset.filename,
    mime_type: asset.mimeType,
    format: asset.format,
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

/** The asset with short-lived download URLs for its three renditions. */
export async function assetWithUrls(storage: ObjectStorage, asset: Asset): Promise<AssetResource> {
  const urls = await assetUrls(storage, asset, DOWNLOAD_URL_SECONDS);
  return {
    ...assetResource(asset),
    urls: { original: urls.original, display: urls.display, thumb: urls.thumb, expires_at: urls.expiresAt },
  };
}

export type GenerationResource = {
  id: string;
  object: "generation";
  status: Generation["status"];
  progress: number;
  model: string;
  provider: string;
  preset_id: string | null;
  custom_prompt: string | null;
  instruction: string | null;
  aspect_ratio: string;
  resolution: string;
  variants: number;
  source_asset_ids: string[];
  reference_asset_ids: string[];
  product_id: string | null;
  parent_asset_id: string | null;
  credits_charged: number;
  used_own_key: boolean;
  error: { code: string; message: string } | null;
  webhook_url: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  outputs: AssetResource[];
};

export async function generationResource(
  storage: ObjectStorage,
  generation: Generation & { outputs: Asset[] },
): Promise<GenerationResource> {
  return {
    id: generation.id,
    object: "generation",
    status: generation.status,
    progress: generation.status === "succeeded" ? 100 : generation.progress,
    model: generation.model,
    provider: generation.provider,
    preset_id: generation.presetId,
    custom_prompt: generation.customPrompt,
    instruction: generation.instruction,
    aspect_ratio: generation.aspectRatio,
    resolution: generation.resolution,
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
  };
}
