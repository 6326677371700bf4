// Starting a generation: validate, price, then in ONE transaction write the Generation, debit its
// credits and create its job, so there is never a debit without work or work without a debit.
import { randomUUID } from "node:crypto";

import { debitCredits } from "~/credits/ledger.server";
import { priceOf } from "~/credits/prices";
import type { Db } from "~/db.server";
import { AppError } from "~/errors";
import type { Generation } from "~/generated/prisma/client";
import { createJob } from "~/jobs/create-job.server";
import { dispatchCommitted } from "~/jobs/queue.server";

import { generationInputSchema, refineInputSchema } from "./generation-input";
import { GENERATION_JOB } from "./generation-job.server";
import { IMAGE_MODELS, type ImageModelId } from "./models";
import { parseOrThrow } from "./parse-input";
import { buildPrompt, buildRefinePrompt } from "./prompts";
import { isPresetId } from "./presets";
import { providerChoice } from "./provider-for-shop.server";

type Draft = {
  shopId: string;
  model: ImageModelId;
  prompt: string;
  presetId?: string | null;
  customPrompt?: string | null;
  instruction?: string | null;
  aspectRatio: string;
  resolution: "1K" | "2K" | "4K";
  variants: number;
  sourceAssetIds: string[];
  referenceAssetIds: string[];
  productId?: string | null;
  parentAssetId?: string | null;
  parentGenerationId?: string | null;
  webhookUrl?: string | null;
};

async function assertOwnedAssets(db: Db, shopId: string, ids: string[]) {
  if (ids.length === 0) return;
  const found = await db.asset.count({ where: { shopId, id: { in: ids } } });
  if (found !== new Set(ids).size) throw new AppError("NOT_FOUND", "One or more of the chosen images were not found. Reload and pick them again.");
}

/** Price of a draft for this shop (0 with the shop's own key or the offline compositor). */
export async function quoteGeneration(db: Db, input: { shopId: string; model: ImageModelId; resolution: "1K" | "2K" | "4K"; variants: number }) {
  const choice = await providerChoice(db, input.shopId);
  return { credits: priceOf({ ...input, free: choice.free }), provider: choice.kind, usesOwnKey: choice.usesOwnKey };
}

async function start(db: Db, draft: Draft): Promise<Generation> {
  const choice = await providerChoice(db, draft.shopId);
  const price = priceOf({ model: draft.model, resolution: draft.resolution, variants: draft.variants, free: choice.free });
  const jobId = randomUUID();
  const { generation, job } = await db.$transaction(async (tx) => {
    const generation = await tx.generation.create({
      data: {
        ...draft,
        provider: choice.kind,
        usedOwnKey: choice.usesOwnKey,
        creditsCharged: price,
        jobId,
      },
    });
    if (price > 0) {
      await debitCredits(tx, { shopId: draft.shopId, amount: price, generationId: generation.id, reason: `${draft.variants} × ${draft.model} ${draft.resolution}` });
    }
    const job = await createJob(tx, { id: jobId, type: GENERATION_JOB, payload: { generationId: generation.id }, shopId: draft.shopId });
    return { generation, job };
  });
  await dispatchCommitted(job);
  return generation;
}

export async function createGeneration(db: Db, raw: { shopId: string } & Record<string, unknown>): Promise<Generation> {
  const input = parseOrThrow(generationInputSchema, raw);
  const capabilities = IMAGE_MODELS[input.model];
  if (!(capabilities.resolutions as readonly string[]).includes(input.resolution)) {
    throw new AppError("UNPROCESSABLE", `${capabilities.label} does not offer ${input.resolution}.`, { resolution: "Unsupported" });
  }
  if (input.sourceAssetIds.length + input.referenceAssetIds.length > capabilities.maxInputImages) {
    throw new AppError("UNPROCESSABLE", `${capabilities.label} takes at most ${capabilities.maxInputImages} images per request.`);
  }
  await assertOwnedAssets(db, raw.shopId, [...input.sourceAssetIds, ...input.referenceAssetIds]);
  const prompt = buildPrompt({
    presetId: input.presetId && isPresetId(input.presetId) ? input.presetId : undefined,
    customPrompt: input.customPrompt,
    productTitle: input.productTitle,
    aspectRatio: input.aspectRatio,
  });
  return start(db, {
    shopId: raw.shopId,
    model: input.model,
    prompt,
    presetId: input.presetId ?? null,
    customPrompt: input.customPrompt ?? null,
    aspectRatio: input.aspectRatio,
    resolution: input.resolution,
    variants: input.variants,
    sourceAssetIds: input.sourceAssetIds,
    referenceAssetIds: input.referenceAssetIds,
    productId: input.productId ?? null,
    webhookUrl: input.webhookUrl ?? null,
  });
}

/** A follow-up instruction applied to an earlier output, as an edit of that output (parent -> child). */
export async function refineGeneration(db: Db, raw: { shopId: string } & Record<string, unknown>): Promise<Generation> {
  const input = parseOrThrow(refineInputSchema, raw);
  const asset = await db.asset.findFirst({ where: { id: input.assetId, shopId: raw.shopId } });
  if (!asset) throw new AppError("NOT_FOUND", "The image to refine was not found.");
  const parent = asset.generationId
    ? await db.generation.findFirst({ where: { id: asset.generationId, shopId: raw.shopId } })
    : null;
  return start(db, {
    shopId: raw.shopId,
    model: (parent?.model as ImageModelId | undefined) ?? "gemini-3.1-flash-image",
    prompt: buildRefinePrompt(input.instruction),
    presetId: parent?.presetId ?? null,
    instruction: input.instruction,
    aspectRatio: parent?.aspectRatio ?? "1:1",
    resolution: (parent?.resolution as "1K" | "2K" | "4K" | undefined) ?? "1K",
    variants: 1,
    sourceAssetIds: [asset.id],
    referenceAssetIds: [],
    productId: asset.productId,
    parentAssetId: asset.id,
    parentGenerationId: parent?.id ?? null,
    webhookUrl: input.webhookUrl ?? null,
  });
}
