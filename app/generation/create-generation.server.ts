// Starting a generation: validate, price, then in ONE transaction write the Generation, debit its
// credits and create its job, so there is never a debit without work or work without a debit.
import { randomUUID } from "node:crypto";

import { isUniqueViolation } from "~/db/unique-violation";
import { debitCredits, type Spender } from "~/credits/ledger.server";
import { priceOf } from "~/credits/prices";
import type { Db } from "~/db.server";
import { AppError } from "~/errors";
import type { Generation } from "~/generated/prisma/client";
import { createJob } from "~/jobs/create-job.server";
import { dispatchCommitted } from "~/jobs/queue.server";

import { generationInputSchema, refineInputSchema } from "./generation-input";
import { GENERATION_JOB } from "./generation-job.server";
import { chooseModel, modelLineup } from "./lineup.server";
import { IMAGE_MODELS, isImageModelId, type ImageModelId } from "./models";
import { parseOrThrow } from "./parse-input";
import { buildPrompt, buildRefinePrompt } from "./prompts";
import { isPresetId } from "./presets";
import { providerChoice } from "./provider-for-shop.server";

type Draft = {
  /** A pre-chosen id: a batch item's attempt is one generation however often its job runs. */
  id?: string;
  batchItemId?: string | null;
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
  // Raw: on the hot path, Prisma's client costs more CPU than this count (ADR 0098).
  const [row] = await db.$queryRaw<Array<{ found: number }>>`
    SELECT count(*)::int AS found FROM "Asset" WHERE "shopId" = ${shopId} AND id = ANY(${ids})`;
  const found = row?.found ?? 0;
  if (found !== new Set(ids).size) throw new AppError("NOT_FOUND", "One or more of the chosen images were not found. Reload and pick them again.");
}

/** Price of a draft for this shop (0 with the shop's own key or the offline compositor). */
export async function quoteGeneration(db: Db, input: { shopId: string; model: ImageModelId; resolution: "1K" | "2K" | "4K"; variants: number }) {
  const choice = await providerChoice(db, input.shopId);
  return { credits: priceOf({ ...input, free: choice.free }), provider: choice.kind, usesOwnKey: choice.usesOwnKey };
}

/** How a generation is started, beyond what was asked for. */
export type StartOptions = {
  /** The generation's id (a batch item's attempt); creating it twice is then a unique-key error. */
  id?: string;
  /**
   * An API request's Idempotency-Key record: the generation's id is derived from it, and a retry of
   * a request whose first attempt committed (its response lost to a crash) gets that generation
   * back instead of a second one (and a second debit).
   */
  idempotencyId?: string;
  batchItemId?: string;
  /** The job's priority: 0 someone waits for it (default), 1 a catalogue batch. */
  priority?: number;
  /** Who starts it: an API token is held to its daily credit cap. */
  spender?: Spender;
};

/** The generation an Idempotency-Key's request creates (one per key record). */
export function idempotentGenerationId(idempotencyId: string): string {
  return `idem_${idempotencyId}`;
}

async function start(db: Db, draft: Draft, options: StartOptions = {}): Promise<Generation> {
  if (options.idempotencyId) {
    const id = idempotentGenerationId(options.idempotencyId);
    try {
      return await startOnce(db, { ...draft, id }, options);
    } catch (error) {
      const made = isUniqueViolation(error) ? await db.generation.findFirst({ where: { id, shopId: draft.shopId } }) : null;
      if (made) return made;
      throw error;
    }
  }
  return startOnce(db, draft, options);
}

async function startOnce(db: Db, draft: Draft, options: StartOptions): Promise<Generation> {
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
      await debitCredits(tx, {
        shopId: draft.shopId,
        amount: price,
        generationId: generation.id,
        reason: `${draft.variants} × ${draft.model} ${draft.resolution}`,
        model: draft.model,
        spender: options.spender,
      });
    }
    const job = await createJob(tx, {
      id: jobId,
      type: GENERATION_JOB,
      payload: { generationId: generation.id },
      shopId: draft.shopId,
      priority: options.priority,
    });
    return { generation, job };
  });
  await dispatchCommitted(job);
  return generation;
}

export async function createGeneration(db: Db, raw: { shopId: string } & Record<string, unknown>, options: StartOptions = {}): Promise<Generation> {
  const input = parseOrThrow(generationInputSchema, raw);
  // A batch's products keep the model the batch was started with (a retired one fails on its
  // first product and pauses the batch); everything new gets a model this server offers.
  const model = options.batchItemId && input.model && isImageModelId(input.model) ? input.model : chooseModel(input.model);
  const capabilities = IMAGE_MODELS[model];
  if (!(capabilities.resolutions as readonly string[]).includes(input.resolution)) {
    throw new AppError("UNPROCESSABLE", `${capabilities.label} does not offer ${input.resolution}.`, { fieldErrors: { resolution: "Unsupported" } });
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
  return start(
    db,
    {
      ...(options.id ? { id: options.id } : {}),
      batchItemId: options.batchItemId ?? null,
      shopId: raw.shopId,
      model,
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
    },
    options
  );
}

/** A follow-up instruction applied to an earlier output, as an edit of that output (parent -> child). */
export async function refineGeneration(db: Db, raw: { shopId: string } & Record<string, unknown>, options: Pick<StartOptions, "spender" | "idempotencyId"> = {}): Promise<Generation> {
  const input = parseOrThrow(refineInputSchema, raw);
  const asset = await db.asset.findFirst({ where: { id: input.assetId, shopId: raw.shopId } });
  if (!asset) throw new AppError("NOT_FOUND", "The image to refine was not found.");
  const parent = asset.generationId ? await db.generation.findFirst({ where: { id: asset.generationId, shopId: raw.shopId } }) : null;
  // The parent's model while this server offers it; else (retired, no longer configured) the default.
  const lineup = modelLineup();
  const model = parent && isImageModelId(parent.model) && lineup.offered.includes(parent.model) ? parent.model : chooseModel(undefined);
  const resolution = (parent?.resolution as "1K" | "2K" | "4K" | undefined) ?? "1K";
  return start(db, {
    shopId: raw.shopId,
    model,
    prompt: buildRefinePrompt(input.instruction),
    presetId: parent?.presetId ?? null,
    instruction: input.instruction,
    aspectRatio: parent?.aspectRatio ?? "1:1",
    resolution: (IMAGE_MODELS[model].resolutions as readonly string[]).includes(resolution) ? resolution : "1K",
    variants: 1,
    sourceAssetIds: [asset.id],
    referenceAssetIds: [],
    productId: asset.productId,
    parentAssetId: asset.id,
    parentGenerationId: parent?.id ?? null,
    webhookUrl: input.webhookUrl ?? null,
  }, options);
}
