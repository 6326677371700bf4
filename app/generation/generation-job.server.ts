// The durable job behind a generation. Idempotent: each variant is stored under
// (generation, variant), so a re-run after a crash skips what was already made and the
// generation ends with exactly one asset per variant and one debit.
import { z } from "zod";

import { deleteAsset } from "~/assets/delete-asset.server";
import { displayRendition } from "~/assets/display-rendition";
import { generatedAssetId } from "~/assets/generated-asset-id";
import { ingestAsset } from "~/assets/ingest-asset.server";
import { refundGeneration } from "~/credits/ledger.server";
import type { Db } from "~/db.server";
import { type Asset, type Generation, Prisma } from "~/generated/prisma/client";
import { DeferJobError, defineJob, PermanentJobError } from "~/jobs/define.server";
import { appStorage } from "~/storage/from-env.server";
import { assetPrefix, readObjectBytes } from "~/storage/index.server";
import type { ObjectStorage } from "~/storage/types";

import { GenerationError, isGenerationError } from "./errors";
import { FINISHED_GENERATION_FIELDS, generationFinished, type FinishedGeneration } from "./generation-finished.server";
import { alternativeTo, retireModel } from "./lineup.server";
import { geminiPace, paceKey } from "./pace.server";
import type { AspectRatio, ImageModelId, Resolution } from "./models";
import { providerFor } from "./provider-for-shop.server";

export const GENERATION_JOB = "generation.run";

/** What the finishing UPDATE returns: the fields generationFinished gets. */
const FINISHED_COLUMNS = Prisma.raw(
  Object.keys(FINISHED_GENERATION_FIELDS)
    .map((field) => `"${field}"`)
    .join(", "),
);

/** Largest model output stored (a 4K PNG can pass 25 MB); uploads keep their own limit. */
const GENERATED_MAX_BYTES = 64 * 1024 * 1024;

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

/** Waits this long in the job for a pace slot; longer waits give the worker slot back (DeferJobError). */
const IN_JOB_WAIT_MS = 1_500;
/** A generation waits at most this long in all for Gemini capacity, then fails (and refunds). */
const MAX_PACED_WAIT_MS = 30 * 60_000;

const WAITING_MESSAGE = "Waiting for Gemini: Lightbox keeps to the key's images-per-minute quota.";

type PacedGeneration = Pick<Generation, "id" | "createdAt">;

/** Before asking Gemini: a slot in the key's per-minute window, waiting off the worker when it is full. */
async function waitForPace(db: Db, generation: PacedGeneration, key: string, signal: AbortSignal): Promise<void> {
  for (;;) {
    const waitMs = await geminiPace().take(key);
    if (waitMs === 0) return;
    if (waitMs > IN_JOB_WAIT_MS) {
      await defer(db, generation, waitMs);
      throw new GenerationError("RATE_LIMITED", {
        message: "Gemini had no capacity left for this image for 30 minutes (the key's images-per-minute quota), so it was not made and not charged. Try again later.",
        retryable: false,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    signal.throwIfAborted();
  }
}

/** Gemini said 429: slow the key down and come back later instead of failing (up to MAX_PACED_WAIT_MS). */
async function deferForRateLimit(db: Db, generation: PacedGeneration, key: string, error: GenerationError): Promise<void> {
  const delayMs = Math.max(1_000, error.retryAfterMs ?? 2_000);
  await geminiPace().rateLimited(key, delayMs);
  await defer(db, generation, delayMs);
}

async function defer(db: Db, generation: PacedGeneration, delayMs: number): Promise<void> {
  if (Date.now() + delayMs - generation.createdAt.getTime() > MAX_PACED_WAIT_MS) return; // give up: fail as usual
  // The Studio shows it waiting, not running (the job runs it again, resuming at the next variant).
  await db.generation.updateMany({ where: { id: generation.id, status: "running" }, data: { status: "queued" } });
  throw new DeferJobError(delayMs, WAITING_MESSAGE);
}

async function readObject(storage: ObjectStorage, key: string): Promise<Buffer> {
  const bytes = await readObjectBytes(storage, key);
  if (!bytes) throw new PermanentJobError("A source image is missing from storage. Upload it again.");
  return bytes;
}

/**
 * Gemini answered 404 NOT_FOUND for the model: Google retired it (or never had it). Never worth a
 * retry; this process stops offering it (retireModel) and the merchant reads which model and what
 * to pick instead. The refund follows in onFailed, as for every failure.
 */
function modelGone(generation: Pick<Generation, "model" | "creditsCharged">, error: GenerationError): PermanentJobError {
  retireModel(generation.model);
  const outcome = generation.creditsCharged > 0 ? "nothing was made and the credits were refunded" : "nothing was made";
  const message = `Gemini no longer offers the model ${generation.model} (Google has retired it), so ${outcome}. ${alternativeTo(generation.model)}`;
  return new PermanentJobError(message, { cause: error.with({ message, retryable: false }) });
}

export const generationJob = defineJob({
  type: GENERATION_JOB,
  payload: z.object({ generationId: z.string() }),
  maxAttempts: 2,
  async run({ generationId }, ctx) {
    const { db } = ctx;
    const storage = appStorage();
    // One statement claims the generation for this attempt and reads it; none comes back when it
    // already ended (a re-delivered job). A re-run keeps the first run's start. (Raw SQL here and
    // below: Prisma's client costs more CPU than the statement itself, ADR 0098.)
    const [generation] = await db.$queryRaw<Generation[]>`
      UPDATE "Generation" SET status = 'running', "startedAt" = COALESCE("startedAt", now())
       WHERE id = ${generationId} AND status IN ('queued', 'running')
      RETURNING *`;
    if (!generation) return { skipped: true };

    const assets = await db.$queryRaw<Array<Pick<Asset, "id" | "originalKey" | "displayKey" | "mimeType">>>`
      SELECT id, "originalKey", "displayKey", "mimeType" FROM "Asset"
       WHERE "shopId" = ${generation.shopId} AND id = ANY(${[...generation.sourceAssetIds, ...generation.referenceAssetIds]})`;
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
    const pace = paceKey(generation);
    for (let variant = 0; variant < generation.variants; variant++) {
      if (done.has(variant)) continue;
      try {
        if (pace) await waitForPace(db, generation, pace, ctx.signal);
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
          { signal: ctx.signal, retryRateLimits: !pace },
        );
        const image = result.images[0];
        if (!image) throw new PermanentJobError("The model answered without an image. Try again.");
        ctx.signal.throwIfAborted(); // the job went to another worker meanwhile: store nothing
        const { asset, deduplicated } = await ingestAsset({
          db,
          storage,
          shopId: generation.shopId,
          kind: "generated",
          // A view of the provider's bytes, not a copy of them.
          bytes: Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength),
          declaredType: image.mimeType,
          productId: generation.productId,
          provenance: { creatorTool: `Lightbox (${provider.id === "offline" ? "offline compositor, no AI" : generation.model})` },
          generation: { id: generationId, variantIndex: variant, firstAttempt: ctx.attempt === 1 },
          metadata: {
            finishReason: result.finishReason,
            modelVersion: result.modelVersion,
            responseId: result.responseId,
            // Where the offline compositor put the product: its fidelity check compares that area.
            ...(result.placement ? { placement: result.placement } : {}),
          },
          // A model's 4K PNG can outweigh the upload limit; the pixel limits still apply.
          limits: { maxBytes: GENERATED_MAX_BYTES },
        });
        // Only what this run wrote is its to throw away below (another run may own the variant).
        if (!deduplicated) made.push(asset.id);
        usage.promptTokens += result.usage.promptTokens;
        usage.outputTokens += result.usage.outputTokens;
        usage.totalTokens += result.usage.totalTokens;
        timings.push({ variant, totalMs: result.timings.totalMs, upstreamMs: result.timings.upstreamMs, attempts: result.timings.attempts });
      } catch (error) {
        if (pace && isGenerationError(error) && error.code === "RATE_LIMITED") await deferForRateLimit(db, generation, pace, error);
        if (isGenerationError(error) && error.code === "MODEL_NOT_FOUND") throw modelGone(generation, error);
        if (isGenerationError(error) && !error.retryable) throw new PermanentJobError(error.message, { cause: error });
        throw error;
      }
      if (variant + 1 < generation.variants) {
        const progress = Math.round(((variant + 1) / generation.variants) * 100);
        await db.generation.update({ where: { id: generationId }, data: { progress }, select: { id: true } });
      }
    }

    // Only a generation still running: if another worker has ended it meanwhile (this one stalled
    // past its lease), that outcome and its refund stand. A re-run that found every image already
    // made keeps the first run's figures.
    const figures = timings.length > 0 ? Prisma.sql`, usage = ${JSON.stringify(usage)}::jsonb, timings = ${JSON.stringify(timings)}::jsonb` : Prisma.empty;
    const [finished] = await db.$queryRaw<FinishedGeneration[]>`
      UPDATE "Generation" SET status = 'succeeded', progress = 100, "finishedAt" = now() ${figures}
       WHERE id = ${generationId} AND status = 'running'
      RETURNING ${FINISHED_COLUMNS}`;
    if (!finished) {
      await Promise.all(made.map((id) => deleteAsset(db, storage, generation.shopId, id)));
      return { skipped: true };
    }
    await generationFinished(db, finished);
    return { outputs: generation.variants };
  },
  async onFailed({ generationId }, error, { db }) {
    const generation = await db.generation.findUnique({ where: { id: generationId } });
    if (!generation || generation.status === "succeeded" || generation.status === "failed") return;
    const madeVariants = new Set((await db.asset.findMany({ where: { generationId }, select: { variantIndex: true } })).map((a) => a.variantIndex));
    const made = madeVariants.size;
    const missing = generation.variants - made;
    // A run killed between storing a variant's objects and writing its row left them under the
    // variant's fixed key: remove them (best effort; storage may be what failed).
    const storage = appStorage();
    await Promise.allSettled(
      Array.from({ length: generation.variants }, (_, variant) => variant)
        .filter((variant) => !madeVariants.has(variant))
        .map((variant) => storage.deletePrefix(assetPrefix(generation.shopId, "generated", generatedAssetId(generationId, variant)))),
    );
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
      select: FINISHED_GENERATION_FIELDS,
      data:
        made > 0
          ? { status: "succeeded", progress: 100, finishedAt: new Date(), errorCode: code, errorMessage: `${made} of ${generation.variants} images were made. ${message}` }
          : { status: "failed", finishedAt: new Date(), errorCode: code, errorMessage: message },
    });
    await generationFinished(db, finished);
  },
});
