import type { Db } from "~/db.server";
import { env } from "~/env.server";
import type { Asset, Generation } from "~/generated/prisma/client";
import { thumbUrl as thumbnailUrl } from "~/assets/thumbnail.server";
import type { ObjectStorage } from "~/storage/types";

import { learnFromOutcome } from "./lineup.server";
import { getGeneration } from "./get-generation.server";
import { estimateProgress, firstGuessMsPerImage } from "./progress-estimate";

export type ImageView = { id: string; width: number; height: number; thumbUrl: string; displayUrl: string };

/** A result's fidelity check as the merchant sees it (app/generation/check-generation-fidelity.server.ts). */
export type FidelityView = {
  outcome: "passed" | "flagged" | "skipped";
  score: number | null;
  reasons: string[];
  /** A flagged result may be regenerated free once: false once that was used. */
  canRegenerateFree: boolean;
};

export type OutputView = ImageView & { fidelity: FidelityView | null };

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
  outputs: OutputView[];
  /** The fidelity check of some output has not landed yet: the Studio keeps polling. */
  fidelityPending: boolean;
  /** This generation is the free regenerate of a flagged image (no credits). */
  freeRegenerate: boolean;
};

export async function imageView(storage: ObjectStorage, asset: Asset, expiresIn = 3600): Promise<ImageView> {
  const [thumbUrl, displayUrl] = await Promise.all([
    thumbnailUrl(storage, asset, expiresIn),
    storage.presignGet(asset.displayKey, { expiresIn }),
  ]);
  return { id: asset.id, width: asset.width, height: asset.height, thumbUrl, displayUrl };
}

const TYPICAL_KEEP_MS = 60_000;

/** What "images of this kind" means for a typical duration. */
type TypicalOf = Pick<Generation, "shopId" | "provider" | "model" | "resolution">;
const typicalCache = new Map<string, { ms: number; until: number }>();

/**
 * How long one image of this kind took the shop lately (median of its last 10), or a first guess.
 * Kept for a minute: the Studio asks every second while a generation runs.
 */
export async function typicalMsPerImage(db: Db, generation: TypicalOf): Promise<number> {
  const key = [generation.shopId, generation.provider, generation.model, generation.resolution].join("|");
  const kept = typicalCache.get(key);
  if (kept && kept.until > Date.now()) return kept.ms;
  const ms = await medianMsPerImage(db, generation);
  if (typicalCache.size > 10_000) typicalCache.clear();
  typicalCache.set(key, { ms, until: Date.now() + TYPICAL_KEEP_MS });
  return ms;
}

async function medianMsPerImage(db: Db, generation: TypicalOf): Promise<number> {
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
  const [sources, typical, checks, freeOf] = await Promise.all([
    db.asset.findMany({ where: { shopId: generation.shopId, id: { in: generation.sourceAssetIds } } }),
    generation.status === "running" ? typicalMsPerImage(db, generation) : 0,
    generation.status === "succeeded" && generation.outputs.length > 0 ? fidelityOf(db, generation.shopId, generation.outputs.map((o) => o.id)) : new Map<string, FidelityView>(),
    generation.creditsCharged === 0 ? db.fidelityCheck.findFirst({ where: { shopId: generation.shopId, freeRegenerationId: generation.id }, select: { id: true } }) : null,
  ]);
  const estimate = estimateProgress({ ...generation, now, typicalMsPerImage: typical });
  learnFromOutcome(generation);
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
    outputs: await Promise.all(generation.outputs.map(async (asset) => ({ ...(await imageView(storage, asset)), fidelity: checks.get(asset.id) ?? null }))),
    freeRegenerate: freeOf !== null,
    fidelityPending:
      generation.status === "succeeded" &&
      generation.outputs.some((o) => !checks.has(o.id)) &&
      now.getTime() - (generation.finishedAt ?? now).getTime() < FIDELITY_WAIT_MS &&
      (await fidelityEnabled(db, generation.shopId)),
  };
}

/** How long after its end a generation's view waits for its fidelity check (then it stops asking). */
const FIDELITY_WAIT_MS = 5 * 60_000;

async function fidelityEnabled(db: Db, shopId: string): Promise<boolean> {
  if (!env().fidelityCheck) return false;
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { fidelityCheck: true } });
  return shop?.fidelityCheck ?? false;
}

/** The fidelity checks of these images of the shop, by image id. */
export async function fidelityOf(db: Db, shopId: string, assetIds: string[]): Promise<Map<string, FidelityView>> {
  const rows = await db.fidelityCheck.findMany({ where: { shopId, assetId: { in: assetIds } } });
  return new Map(
    rows.map((row) => [
      row.assetId,
      {
        outcome: row.outcome as FidelityView["outcome"],
        score: row.score,
        reasons: row.reasons,
        canRegenerateFree: row.outcome === "flagged" && !row.freeRegenerationId,
      },
    ]),
  );
}

/** What the Studio polls: status, progress and outputs of one of the shop's generations. */
export async function generationView(db: Db, storage: ObjectStorage, shopId: string, id: string): Promise<GenerationView> {
  return toGenerationView(db, storage, await getGeneration(db, shopId, id));
}
