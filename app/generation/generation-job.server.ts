// The durable job behind a generation. Idempotent: each variant is stored under
// (generation, variant), so a re-run after a crash skips what was already made and the
// generation ends with exactly one asset per variant and one debit.
import { z } from "zod";

import { deleteAsset } from "~/assets/delete-asset.server";
import { displayRendition } from "~/assets/display-rendition";
import { ingestAsset } from "~/assets/ingest-asset.server";
import { refundGeneration } from "~/credits/ledger.server";
import type { Db, DbTx } from "~/db.server";
import { nullIfNoRow } from "~/db/no-row";
import { env } from "~/env.server";
import type { Generation, Prisma } from "~/generated/prisma/client";
import { defineJob, PermanentJobError } from "~/jobs/define.server";
import { appStorage } from "~/storage/from-env.server";
import { readObjectBytes } from "~/storage/index.server";
import type { ObjectStorage } from "~/storage/types";

import { isGenerationError, type GenerationError } from "./errors";
import type { AspectRatio, ImageModelId, Resolution } from "./models";
import { providerFor } from "./provider-for-shop.server";

export const GENERATION_JOB = "generation.run";

/** Largest model output stored (a 4K PNG can pass 25 MB); uploads keep their own limit. */
const GENERATED_MAX_BYTES = 64 * 1024 * 1024;

/** The fields of a generation that has just reached its end. */
export type FinishedGeneration = Pick<Generation, "id" | "shopId" | "status" | "webhookUrl" | "finishedAt">;

/** Called when a generation reaches its end (set by the public API's webhook delivery). */
let onFinished: ((db: Db | DbTx, generation: FinishedGeneration) => Promise<void>) | undefined;
export function onGenerationFinished(callback: typeof onFinished) {
  onFinished = callback;
}

/**
 * What the merchant reads: the provider's and our own job messages are written for them; any
 * other error (storage, database, a decoder) is logged and summarised, never shown raw (it can
 * carry server paths and means nothing to a merchant).
 */
function merchantMessage(error: Error, cause: GenerationError | null): string {
  if (cause) return cause.message;
  if (error instanceof PermanentJobError) return error.message;
  console.error("[generation] failed for good", error);
  return "Something went wrong on our side while making this image, so it was not charged. Try again.";
}

async function readObject(storage: ObjectStorage, key: string): Promise<Buffer> {
  const bytes = await readObjectBytes(storage, key);
  if (!bytes) throw new PermanentJobError("A source image is missing from storage. Upload it again.");
  return bytes;
}

export const generationJob = defineJob({
  type: GENERATION_JOB,
  payload: z.object({ generationId: z.string() }),
  maxAttempts: 2,
  get leaseMs() {
    return env().jobLeaseMs;
  },
  async run({ generationId }, ctx) {
    const { db } = ctx;
    const storage = appStorage();
    // One statement claims the generation for this attempt and reads it; none comes back when it
    // already ended (a re-delivered job).
    const generation = await nullIfNoRow(
      db.generation.update({
        where: { id: generationId, status: { in: ["queued", "running"] } },
        data: ctx.attempt === 1 ? { status: "running", startedAt: new Date() } : { status: "running" },
      }),
    );
    if (!generation) return { skipped: true };
    if (!generation.startedAt) {
      await db.generation.update({ where: { id: generationId }, data: { startedAt: new Date() }, select: { id: true } });
    }

    const assets = await db.asset.findMany({
      where: { shopId: generation.shopId, id: { in: [...generation.sourceAssetIds, ...generation.referenceAssetIds] } },
    });
    const load = (ids: string[]) =>
      Promise.all(
        ids.map(async (id) => {
          const asset = assets.find((a) => a.id === id);
          if (!asset) throw new PermanentJobError("A source image was deleted before the generation ran.");
          const display = displayRendition(asset);
          return { bytes: await readObject(storage, display.key), mimeType: display.mimeType };
        }),
      );
    const [sources, references] = await Promise.all([load(generation.sourceAssetIds), load(generation.referenceAssetIds)]);
    const provider = await providerFor(db, generation.shopId, {
      kind: generation.provider as "gemini" | "offline",
      usesOwnKey: generation.usedOwnKey,
      free: generation.creditsCharged === 0,
    });

    const usage = { promptTokens: 0, outputTokens: 0, totalTokens: 0 };
    const timings: Array<{ variant: number; totalMs: number; upstreamMs: number; attempts: number }> = [];
    // A first attempt starts from nothing; a re-run (after a crash or a retry) skips the
    // variants an earlier attempt already stored.
    const done = new Set(
      ctx.attempt === 1
        ? []
        : (await db.asset.findMany({ where: { generationId }, select: { variantIndex: true } })).map((a) => a.variantIndex),
    );
    const made: string[] = [];
    for (let variant = 0; variant < generation.variants; variant++) {
      if (done.has(variant)) continue;
      try {
        const result = await provider.generate(
          {
            model: generation.model as ImageModelId,
            prompt: generation.prompt,
            sources,
            references,
            aspectRatio: generation.aspectRatio as AspectRatio,
            resolution: generation.resolution as Resolution,
            presetId: generation.presetId ?? undefined,
          },
          { signal: ctx.signal },
        );
        const image = result.images[0];
        if (!image) throw new PermanentJobError("The model answered without an image. Try again.");
        ctx.signal.throwIfAborted(); // the job went to another worker meanwhile: store nothing
        const { asset } = await ingestAsset({
          db,
          storage,
          shopId: generation.shopId,
          kind: "generated",
          bytes: Buffer.from(image.bytes),
          declaredType: image.mimeType,
          productId: generation.productId,
          provenance: { creatorTool: `Lightbox (${provider.id === "offline" ? "offline compositor, no AI" : generation.model})` },
          generation: { id: generationId, variantIndex: variant, firstAttempt: ctx.attempt === 1 },
          metadata: { finishReason: result.finishReason, modelVersion: result.modelVersion, responseId: result.responseId },
          // A model's 4K PNG can outweigh the upload limit; the pixel limits still apply.
          limits: { maxBytes: GENERATED_MAX_BYTES },
        });
        made.push(asset.id);
        usage.promptTokens += result.usage.promptTokens;
        usage.outputTokens += result.usage.outputTokens;
        usage.totalTokens += result.usage.totalTokens;
        timings.push({ variant, totalMs: result.timings.totalMs, upstreamMs: result.timings.upstreamMs, attempts: result.timings.attempts });
      } catch (error) {
        if (isGenerationError(error) && !error.retryable) throw new PermanentJobError(error.message, { cause: error });
        throw error;
      }
      if (variant + 1 < generation.variants) {
        const progress = Math.round(((variant + 1) / generation.variants) * 100);
        await db.generation.update({ where: { id: generationId }, data: { progress }, select: { id: true } });
      }
    }

    const finished = await nullIfNoRow(
      db.generation.update({
        // Only a generation still running: if another worker has ended it meanwhile (this one
        // stalled past its lease), that outcome and its refund stand.
        where: { id: generationId, status: "running" },
        data: {
          status: "succeeded",
          progress: 100,
          finishedAt: new Date(),
          // A re-run that found every image already made keeps the first run's figures.
          ...(timings.length > 0 ? { usage: usage as Prisma.InputJsonValue, timings: timings as Prisma.InputJsonValue } : {}),
        },
        select: { id: true, shopId: true, status: true, webhookUrl: true, finishedAt: true },
      }),
    );
    if (!finished) {
      await Promise.all(made.map((id) => deleteAsset(db, storage, generation.shopId, id)));
      return { skipped: true };
    }
    await onFinished?.(db, finished);
    return { outputs: generation.variants };
  },
  async onFailed({ generationId }, error, { db }) {
    const generation = await db.generation.findUnique({ where: { id: generationId } });
    if (!generation || generation.status === "succeeded" || generation.status === "failed") return;
    const made = await db.asset.count({ where: { generationId } });
    const missing = generation.variants - made;
    const perImage = generation.creditsCharged / generation.variants;
    const cause = isGenerationError(error) ? error : isGenerationError(error.cause) ? error.cause : null;
    const code = cause?.code ?? "FAILED";
    const message = merchantMessage(error, cause);
    await refundGeneration(db, {
      generationId,
      amount: Math.round(perImage * missing),
      reason: made > 0 ? `${missing} of ${generation.variants} images could not be made` : "Generation failed",
    });
    const finished = await db.generation.update({
      where: { id: generationId },
      select: { id: true, shopId: true, status: true, webhookUrl: true, finishedAt: true },
      data:
        made > 0
          ? { status: "succeeded", progress: 100, finishedAt: new Date(), errorCode: code, errorMessage: `${made} of ${generation.variants} images were made. ${message}` }
          : { status: "failed", finishedAt: new Date(), errorCode: code, errorMessage: message },
    });
    await onFinished?.(db, finished);
  },
});
