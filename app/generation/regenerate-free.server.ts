// A flagged result (the fidelity check saw the product drift) may be made again once, free: a new
// generation with the same inputs and one image, no debit. The ledger shows it as a 0-credit entry
// whose unique key "free-regenerate:<assetId>" is what makes it once, even for concurrent clicks.
import { randomUUID } from "node:crypto";

import { isUniqueViolation } from "~/db/unique-violation";
import { MAX_AUTO_RETRIES } from "~/batches/batch-generation-finished.server";
import { batchGenerationId } from "~/batches/jobs";
import type { Db } from "~/db.server";
import { AppError } from "~/errors";
import type { Generation } from "~/generated/prisma/client";
import { createJob } from "~/jobs/create-job.server";
import { dispatchCommitted } from "~/jobs/queue.server";

import { GENERATION_JOB } from "./generation-job.server";
import { providerChoice } from "./provider-for-shop.server";

export const FREE_REGENERATE_KEY = (assetId: string) => `free-regenerate:${assetId}`;

const ALREADY = "This image was already regenerated free once. Regenerate it with credits, or refine it instead.";


export async function regenerateFree(db: Db, input: { shopId: string; assetId: string }): Promise<Generation> {
  const { shopId, assetId } = input;
  const check = await db.fidelityCheck.findFirst({ where: { shopId, assetId } });
  if (!check) throw new AppError("NOT_FOUND", "This image was not found, or its fidelity check has not finished yet.");
  if (check.outcome !== "flagged") {
    throw new AppError("UNPROCESSABLE", "Only images the fidelity check flagged can be regenerated free. Use Refine or generate again instead.");
  }
  if (check.freeRegenerationId) throw new AppError("CONFLICT", ALREADY);
  const parent = await db.generation.findFirst({ where: { id: check.generationId, shopId } });
  if (!parent) throw new AppError("NOT_FOUND", "The generation this image came from was deleted, so its inputs are gone. Start a new generation in the Studio.");
  const sources = await db.asset.count({ where: { shopId, id: { in: [...parent.sourceAssetIds, ...parent.referenceAssetIds] } } });
  if (sources !== new Set([...parent.sourceAssetIds, ...parent.referenceAssetIds]).size) {
    throw new AppError("UNPROCESSABLE", "A photo this image was made from was deleted. Start a new generation in the Studio.");
  }

  const choice = await providerChoice(db, shopId);
  const jobId = randomUUID();
  try {
    const { generation, job } = await db.$transaction(async (tx) => {
      // A batch product whose current result this is: the new image becomes its next attempt, so it
      // replaces the result in the batch review (no automatic retry: that one would be charged).
      const item = parent.batchItemId
        ? await tx.batchItem.findFirst({ where: { id: parent.batchItemId, shopId, generationId: parent.id, status: { in: ["review", "rejected", "published"] } } })
        : null;
      let batchItemId: string | null = null;
      let generationId: string | undefined;
      if (item) {
        const { count } = await tx.batchItem.updateMany({
          where: { id: item.id, status: item.status, attempt: item.attempt },
          data: { status: "generating", attempt: item.attempt + 1, autoRetries: MAX_AUTO_RETRIES, startedAt: new Date(), finishedAt: null, errorMessage: null },
        });
        if (count === 1) {
          batchItemId = item.id;
          generationId = batchGenerationId({ id: item.id, attempt: item.attempt + 1 });
        }
      }
      const generation = await tx.generation.create({
        data: {
          ...(generationId ? { id: generationId } : {}),
          batchItemId,
          shopId,
          provider: choice.kind,
          usedOwnKey: choice.usesOwnKey,
          model: parent.model,
          prompt: parent.prompt,
          presetId: parent.presetId,
          customPrompt: parent.customPrompt,
          instruction: parent.instruction,
          aspectRatio: parent.aspectRatio,
          resolution: parent.resolution,
          variants: 1,
          sourceAssetIds: parent.sourceAssetIds,
          referenceAssetIds: parent.referenceAssetIds,
          productId: parent.productId,
          parentAssetId: parent.parentAssetId,
          parentGenerationId: parent.parentGenerationId,
          creditsCharged: 0,
          jobId,
        },
      });
      const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { creditBalance: true } });
      // The unique key refuses a second one (a concurrent click fails here and rolls back).
      await tx.creditEntry.create({
        data: {
          shopId,
          kind: "debit",
          amount: 0,
          balanceAfter: shop.creditBalance,
          key: FREE_REGENERATE_KEY(assetId),
          reason: `Free regenerate: the fidelity check flagged an image (score ${check.score ?? "?"})`,
          generationId: generation.id,
          model: parent.model,
        },
      });
      const { count } = await tx.fidelityCheck.updateMany({ where: { id: check.id, freeRegenerationId: null }, data: { freeRegenerationId: generation.id } });
      if (count === 0) throw new AppError("CONFLICT", ALREADY);
      // Someone waits for it, as for any regenerate the merchant asks for.
      const job = await createJob(tx, { id: jobId, type: GENERATION_JOB, payload: { generationId: generation.id }, shopId, priority: 0 });
      return { generation, job };
    });
    await dispatchCommitted(job);
    return generation;
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", ALREADY);
    throw error;
  }
}
