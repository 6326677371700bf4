// The fidelity check of a finished generation: each output is compared with the source photo(s) by
// the provider that made it (Gemini's text model, or the offline compositor's pixel comparison) and
// gets one FidelityCheck row: passed, flagged (score below the threshold) or skipped. Never fails or
// refunds the generation; an output already checked is left alone (the job may run again).
import { displayRendition } from "~/assets/display-rendition";
import type { Db } from "~/db.server";
import { env } from "~/env.server";
import type { Asset } from "~/generated/prisma/client";
import { readObjectBytes } from "~/storage/index.server";
import type { ObjectStorage } from "~/storage/types";

import { isGenerationError } from "./errors";
import { type AspectRatio, exactOutputSize, type Resolution } from "./models";
import type { FidelityVerdict, ImageData, ImageProvider, ProductBox } from "./provider";
import { providerFor } from "./provider-for-shop.server";

export type FidelityOutcome = "passed" | "flagged" | "skipped";

export type CheckSummary = { checked: number; flagged: number; skipped: number };

/** A failure the next attempt may not have (rate limit, outage, timeout): the job tries again. */
export class FidelityRetryError extends Error {
  override name = "FidelityRetryError";
}

/** A score below this flags the image. */
export function fidelityThreshold(): number {
  return env().fidelityThreshold;
}

async function imageOf(storage: ObjectStorage, key: string, mimeType: string): Promise<ImageData | null> {
  const bytes = await readObjectBytes(storage, key);
  return bytes ? { bytes: new Uint8Array(bytes), mimeType } : null;
}

function placementOf(asset: Asset): ProductBox | undefined {
  const placement = (asset.metadata as { placement?: ProductBox } | null)?.placement;
  return placement && typeof placement.left === "number" ? placement : undefined;
}

export async function checkGenerationFidelity(
  db: Db,
  storage: ObjectStorage,
  input: { generationId: string; lastAttempt: boolean; signal?: AbortSignal },
): Promise<CheckSummary> {
  const summary: CheckSummary = { checked: 0, flagged: 0, skipped: 0 };
  const generation = await db.generation.findUnique({
    where: { id: input.generationId },
    select: {
      id: true, shopId: true, status: true, provider: true, usedOwnKey: true, creditsCharged: true,
      sourceAssetIds: true, aspectRatio: true, resolution: true, shop: { select: { fidelityCheck: true } },
    },
  });
  if (!generation || generation.status !== "succeeded" || !generation.shop.fidelityCheck || !env().fidelityCheck) return summary;
  const { shopId } = generation;
  const outputs = await db.asset.findMany({ where: { shopId, generationId: generation.id, fidelity: { is: null } }, orderBy: { variantIndex: "asc" } });
  if (outputs.length === 0) return summary;

  const record = async (asset: Asset, result: { verdict: FidelityVerdict } | { skipped: string; method: string }) => {
    const outcome: FidelityOutcome = "verdict" in result ? (result.verdict.score < fidelityThreshold() ? "flagged" : "passed") : "skipped";
    await db.fidelityCheck.createMany({
      data: [
        "verdict" in result
          ? { shopId, assetId: asset.id, generationId: generation.id, outcome, score: result.verdict.score, reasons: result.verdict.reasons, method: result.verdict.method, model: result.verdict.model }
          : { shopId, assetId: asset.id, generationId: generation.id, outcome, score: null, reasons: [result.skipped], method: result.method },
      ],
      skipDuplicates: true,
    });
    summary[outcome === "skipped" ? "skipped" : "checked"]++;
    if (outcome === "flagged") summary.flagged++;
  };
  const method = generation.provider === "offline" ? "pixels" : "gemini";
  const skipAll = async (reason: string) => {
    for (const asset of outputs) await record(asset, { skipped: reason, method });
    return summary;
  };

  const sourceRows = await db.asset.findMany({ where: { shopId, id: { in: generation.sourceAssetIds } } });
  const sources: ImageData[] = [];
  for (const id of generation.sourceAssetIds) {
    const row = sourceRows.find((a) => a.id === id);
    const display = row ? displayRendition(row) : null;
    const image = display ? await imageOf(storage, display.key, display.mimeType) : null;
    if (!image) return skipAll("The source photo was deleted before the check could compare it.");
    sources.push(image);
  }

  let provider: ImageProvider;
  try {
    provider = await providerFor(db, shopId, { kind: generation.provider as "gemini" | "offline", usesOwnKey: generation.usedOwnKey, free: generation.creditsCharged === 0 });
  } catch (error) {
    return skipAll(isGenerationError(error) ? error.message : "No checker was available.");
  }
  if (!provider.checkFidelity) return skipAll("This image provider has no fidelity check.");

  const frame = generation.provider === "offline" ? exactOutputSize(generation.aspectRatio as AspectRatio, generation.resolution as Resolution) : undefined;
  for (const asset of outputs) {
    // The compositor's placement is in the original's pixels; Gemini is shown the display image.
    const key = frame ? asset.originalKey : displayRendition(asset).key;
    const result = await imageOf(storage, key, frame ? asset.mimeType : displayRendition(asset).mimeType);
    if (!result) continue; // deleted meanwhile
    try {
      const verdict = await provider.checkFidelity({ sources, result, placement: placementOf(asset), frame }, { signal: input.signal });
      await record(asset, { verdict });
    } catch (error) {
      if (!isGenerationError(error)) throw error;
      if (error.retryable && !input.lastAttempt) throw new FidelityRetryError(`fidelity check of ${asset.id}: ${error.code}`, { cause: error });
      await record(asset, { skipped: `The fidelity check could not run (${error.message})`, method });
    }
  }
  return summary;
}
