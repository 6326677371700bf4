import type { Db } from "~/db.server";
import type { Asset, Generation } from "~/generated/prisma/client";
import type { ObjectStorage } from "~/storage/types";

import { getGeneration } from "./get-generation.server";

export type ImageView = { id: string; width: number; height: number; thumbUrl: string; displayUrl: string };

export type GenerationView = {
  id: string;
  status: Generation["status"];
  progress: number;
  provider: string;
  model: string;
  presetId: string | null;
  instruction: string | null;
  aspectRatio: string;
  resolution: string;
  variants: number;
  creditsCharged: number;
  errorMessage: string | null;
  parentAssetId: string | null;
  createdAt: string;
  sources: ImageView[];
  outputs: ImageView[];
};

export async function imageView(storage: ObjectStorage, asset: Asset, expiresIn = 3600): Promise<ImageView> {
  const [thumbUrl, displayUrl] = await Promise.all([
    storage.presignGet(asset.thumbKey, { expiresIn }),
    storage.presignGet(asset.displayKey, { expiresIn }),
  ]);
  return { id: asset.id, width: asset.width, height: asset.height, thumbUrl, displayUrl };
}

export async function toGenerationView(
  db: Db,
  storage: ObjectStorage,
  generation: Generation & { outputs: Asset[] },
): Promise<GenerationView> {
  const sources = await db.asset.findMany({ where: { shopId: generation.shopId, id: { in: generation.sourceAssetIds } } });
  return {
    id: generation.id,
    status: generation.status,
    progress: generation.status === "succeeded" ? 100 : generation.progress,
    provider: generation.provider,
    model: generation.model,
    presetId: generation.presetId,
    instruction: generation.instruction,
    aspectRatio: generation.aspectRatio,
    resolution: generation.resolution,
    variants: generation.variants,
    creditsCharged: generation.creditsCharged,
    errorMessage: generation.errorMessage,
    parentAssetId: generation.parentAssetId,
    createdAt: generation.createdAt.toISOString(),
    sources: await Promise.all(sources.map((asset) => imageView(storage, asset))),
    outputs: await Promise.all(generation.outputs.map((asset) => imageView(storage, asset))),
  };
}

/** What the Studio polls: status, progress and outputs of one of the shop's generations. */
export async function generationView(db: Db, storage: ObjectStorage, shopId: string, id: string): Promise<GenerationView> {
  return toGenerationView(db, storage, await getGeneration(db, shopId, id));
}
