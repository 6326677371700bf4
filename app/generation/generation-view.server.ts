import type { Db } from "~/db.server";
import type { Asset, Generation } from "~/generated/prisma/client";
import type { ObjectStorage } from "~/storage/types";

import { getGeneration } from "./get-generation.server";
import { estimateProgress, firstGuessMsPerImage } from "./progress-estimate";

export type ImageView = { id: string; width: number; height: number; thumbUrl: string; displayUrl: string };

export type GenerationView = {
  id: string;
  status: Generation["status"];
  /** 0-100; while running, estimated from the time spent (see progress-estimate.ts). */
  progress: number;
  /** While running: whole seconds left by the estimate, or null once past it. */
  secondsLeft: number | null;
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

const TYPICAL_KEEP_MS = 60_000;
const typicalCache = new Map<string, { ms: number; until: number }>();

/**
 * How long one image of this kind took the shop lately (median of its last 10), or a first guess.
 * Kept for a minute: the Studio asks every second while a generation runs.
 */
async function typicalMsPerImage(db: Db, generation: Generation): Promise<number> {
  const key = [generation.shopId, generation.provider, generation.model, generation.resolution].join("|");
  const kept = typicalCache.get(key);
  if (kept && kept.until > Date.now()) return kept.ms;
  const ms = await medianMsPerImage(db, generation);
  if (typicalCache.size > 10_000) typicalCache.clear();
  typicalCache.set(key, { ms, until: Date.now() + TYPICAL_KEEP_MS });
  return ms;
}

async function medianMsPerImage(db: Db, generation: Generation): Promise<number> {
  const recent = await db.generation.findMany({
    where: {
      shopId: generation.shopId,
      status: "succeeded",
      provider: generation.provider,
      model: generation.model,
      resolution: generation.resolution,
      startedAt: { not: null },
      finishedAt: { not: null },
    },
    select: { startedAt: true, finishedAt: true, variants: true },
    orderBy: { finishedAt: "desc" },
    take: 10,
  });
  const perImage = recent.map((g) => (g.finishedAt!.getTime() - g.startedAt!.getTime()) / g.variants).sort((a, b) => a - b);
  return perImage.length > 0 ? perImage[Math.floor(perImage.length / 2)]! : firstGuessMsPerImage(generation.provider, generation.model, generation.resolution);
}

export async function toGenerationView(
  db: Db,
  storage: ObjectStorage,
  generation: Generation & { outputs: Asset[] },
  now = new Date(),
): Promise<GenerationView> {
  const [sources, typical] = await Promise.all([
    db.asset.findMany({ where: { shopId: generation.shopId, id: { in: generation.sourceAssetIds } } }),
    generation.status === "running" ? typicalMsPerImage(db, generation) : 0,
  ]);
  const estimate = estimateProgress({ ...generation, now, typicalMsPerImage: typical });
  return {
    id: generation.id,
    status: generation.status,
    progress: estimate.percent,
    secondsLeft: estimate.secondsLeft,
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
