// The durable job behind a generation. Idempotent: each variant is stored under
// (generation, variant), so a re-run after a crash skips what was already made and the
// generation ends with exactly one asset per variant and one debit.
import { z } from "zod";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { refundGeneration } from "~/credits/ledger.server";
import type { Db, DbTx } from "~/db.server";
import { env } from "~/env.server";
import type { Prisma } from "~/generated/prisma/client";
import { defineJob, PermanentJobError } from "~/jobs/define.server";
import { appStorage } from "~/storage/from-env.server";
import type { ObjectStorage } from "~/storage/types";

import { isGenerationError } from "./errors";
import type { AspectRatio, ImageModelId, Resolution } from "./models";
import { providerFor } from "./provider-for-shop.server";

export const GENERATION_JOB = "generation.run";

/** Called when a generation reaches its end (set by the public API's webhook delivery). */
let onFinished: ((db: Db | DbTx, generationId: string) => Promise<void>) | undefined;
export function onGenerationFinished(callback: typeof onFinished) {
  onFinished = callback;
}

async function readObject(storage: ObjectStorage, key: string): Promise<Buffer> {
  const object = await storage.get(key);
  if (!object) throw new PermanentJobError("A source image is missing from storage. Upload it again.");
  const chunks: Buffer[] = [];
  for await (const chunk of object.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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
    const generation = await db.generation.findUniqueOrThrow({ where: { id: generationId } });
    if (generation.status === "succeeded" || generation.status === "failed") return { skipped: true };
    await db.generation.update({
      where: { id: generationId },
      data: { status: "running", startedAt: generation.startedAt ?? new Date() },
    });

    const assets = await db.asset.findMany({
      where: { shopId: generation.shopId, id: { in: [...generation.sourceAssetIds, ...generation.referenceAssetIds] } },
    });
    const load = (ids: string[]) =>
      Promise.all(
        ids.map(async (id) => {
          const asset = assets.find((a) => a.id === id);
          if (!asset) throw new PermanentJobError("A source image was deleted before the generation ran.");
          return { bytes: await readObject(storage, asset.displayKey), mimeType: "image/webp" };
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
    for (let variant = 0; variant < generation.variants; variant++) {
      const done = await db.asset.findUnique({ where: { generationId_variantIndex: { generationId, variantIndex: variant } } });
      if (done) continue;
      await ctx.progress(((variant + 0.1) / generation.variants) * 100, `Making image ${variant + 1} of ${generation.variants}`);
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
        await ingestAsset({
          db,
          storage,
          shopId: generation.shopId,
          kind: "generated",
          bytes: Buffer.from(image.bytes),
          declaredType: image.mimeType,
          productId: generation.productId,
          provenance: { creatorTool: `Lightbox (${provider.id === "offline" ? "offline compositor, no AI" : generation.model})` },
          generation: { id: generationId, variantIndex: variant },
          metadata: { finishReason: result.finishReason, modelVersion: result.modelVersion, responseId: result.responseId },
        });
        usage.promptTokens += result.usage.promptTokens;
        usage.outputTokens += result.usage.outputTokens;
        usage.totalTokens += result.usage.totalTokens;
        timings.push({ variant, totalMs: result.timings.totalMs, upstreamMs: result.timings.upstreamMs, attempts: result.timings.attempts });
      } catch (error) {
        if (isGenerationError(error) && !error.retryable) throw new PermanentJobError(error.message, { cause: error });
        throw error;
      }
      const progress = Math.round(((variant + 1) / generation.variants) * 100);
      await db.generation.update({ where: { id: generationId }, data: { progress: Math.min(99, progress) } });
    }

    await db.generation.update({
      where: { id: generationId },
      data: {
        status: "succeeded",
        progress: 100,
        finishedAt: new Date(),
        usage: usage as Prisma.InputJsonValue,
        timings: timings as Prisma.InputJsonValue,
      },
    });
    await onFinished?.(db, generationId);
    return { outputs: generation.variants };
  },
  async onFailed({ generationId }, error, { db }) {
    const generation = await db.generation.findUnique({ where: { id: generationId } });
    if (!generation) return;
    const made = await db.asset.count({ where: { generationId } });
    const missing = generation.variants - made;
    const perImage = generation.creditsCharged / generation.variants;
    const cause = isGenerationError(error) ? error : isGenerationError(error.cause) ? error.cause : null;
    const code = cause?.code ?? "FAILED";
    await refundGeneration(db, {
      generationId,
      amount: Math.round(perImage * missing),
      reason: made > 0 ? `${missing} of ${generation.variants} images could not be made` : "Generation failed",
    });
    await db.generation.update({
      where: { id: generationId },
      data:
        made > 0
          ? { status: "succeeded", progress: 100, finishedAt: new Date(), errorCode: code, errorMessage: `${made} of ${generation.variants} images were made. ${error.message}` }
          : { status: "failed", finishedAt: new Date(), errorCode: code, errorMessage: error.message },
    });
    await onFinished?.(db, generationId);
  },
});
