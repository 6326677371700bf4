// The batch's two job types. `batch.item` starts one product: its featured photo becomes a
// Lightbox asset, then one generation is created for the item's attempt (debit and job in one
// transaction, with a fixed id so a re-run finds it instead of charging again). The generation
// runs as any other; generationFinished tells the batch (batch-generation-finished.server.ts).
// `batch.advance` moves a batch on when a transaction could not (see requestAdvance).
import { z } from "zod";

import { isUniqueViolation } from "~/db/unique-violation";
import type { Spender } from "~/credits/ledger.server";
import type { Db } from "~/db.server";
import type { Batch } from "~/generated/prisma/client";

import { DailyCreditCapError, InsufficientCreditsError } from "~/credits/errors";
import { cancelGeneration } from "~/generation/cancel-generation.server";
import { createGeneration } from "~/generation/create-generation.server";
import { DeferJobError, defineJob } from "~/jobs/define.server";
import { importProductPhotos } from "~/products/import-product-photos.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { pacedClient } from "~/shopify-admin/paced-client.server";
import { appStorage } from "~/storage/from-env.server";

import { advanceBatch } from "./advance-batch.server";
import { BATCH_ADVANCE_JOB, BATCH_ITEM_JOB, batchGenerationId } from "./jobs";
import { pauseBatchForCredits } from "./pause-for-credits.server";

/**
 * Who pays for the batch's products: nobody in particular (the admin), or the API token that
 * started it, whose daily cap applies; "revoked" once that token may no longer spend.
 */
async function batchSpender(db: Db, batch: Batch): Promise<Spender | null | "revoked"> {
  if (!batch.tokenId) return null;
  const token = await db.apiToken.findUnique({ where: { id: batch.tokenId }, select: { id: true, dailyCreditCap: true, revokedAt: true, expiresAt: true } });
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= new Date())) return "revoked";
  return { id: token.id, dailyCreditCap: token.dailyCreditCap };
}


export const batchItemJob = defineJob({
  type: BATCH_ITEM_JOB,
  // `asked`: the merchant asked for this product (regenerate, retry), so it runs even when the
  // batch is paused or done; otherwise it is the batch's own turn and runs only while it runs.
  payload: z.object({ itemId: z.string(), asked: z.boolean().default(false) }),
  maxAttempts: 5,
  async run({ itemId, asked }, ctx) {
    const { db } = ctx;
    const item = await db.batchItem.findUnique({ where: { id: itemId }, include: { batch: { include: { shop: { select: { domain: true } } } } } });
    if (!item || item.status !== "starting") return { skipped: true };
    const { batch } = item;
    if (batch.status === "cancelled" || (batch.status !== "running" && !asked)) {
      // Paused or cancelled after the item was claimed: it goes back (or ends) without a charge.
      await db.batchItem.updateMany({
        where: { id: item.id, status: "starting" },
        data: batch.status === "cancelled" ? { status: "cancelled", finishedAt: new Date() } : { status: "waiting", attempt: { decrement: 1 } },
      });
      return { skipped: true };
    }

    let sourceAssetId = item.sourceAssetId;
    if (!sourceAssetId) {
      const client = pacedClient(batch.shop.domain, adminGraphqlFor(batch.shop.domain));
      const product = await importProductPhotos(client, db, appStorage(), { shopId: batch.shopId, productId: item.productId, limit: 1 });
      const photo = product?.photos[0];
      if (!photo) {
        await db.batchItem.updateMany({
          where: { id: item.id, status: "starting" },
          data: {
            status: "failed",
            finishedAt: new Date(),
            errorMessage: product
              ? "This product has no photo Lightbox could read. Add one in Shopify, then retry the product."
              : "This product no longer exists in Shopify.",
          },
        });
        await advanceBatch(db, batch.id);
        return { failed: "no photo" };
      }
      sourceAssetId = photo.id;
      await db.batchItem.update({ where: { id: item.id }, data: { sourceAssetId } });
    }

    const spender = await batchSpender(db, batch);
    if (spender === "revoked") {
      await db.batchItem.updateMany({ where: { id: item.id, status: "starting" }, data: { status: "waiting", attempt: { decrement: 1 } } });
      await db.batch.updateMany({
        where: { id: batch.id, status: "running" },
        data: { status: "paused", pausedAt: new Date(), stopReason: "Paused: the API token that started this batch was revoked or has expired. Resume it from the app to go on." },
      });
      return { paused: "token" };
    }
    const generationId = batchGenerationId(item);
    try {
      await createGeneration(
        db,
        {
          shopId: batch.shopId,
          sourceAssetIds: [sourceAssetId],
          presetId: batch.presetId ?? undefined,
          customPrompt: batch.customPrompt ?? undefined,
          model: batch.model,
          aspectRatio: batch.aspectRatio,
          resolution: batch.resolution,
          variants: batch.variants,
          productId: item.productId,
          productTitle: item.productTitle,
        },
        { id: generationId, batchItemId: item.id, priority: 1, spender: spender ?? undefined },
      );
    } catch (error) {
      // The token's credits for today are spent: the product waits for tomorrow (00:00 UTC).
      if (error instanceof DailyCreditCapError) throw new DeferJobError(Math.max(1_000, error.resetsAt.getTime() - Date.now()), error.userMessage);
      if (error instanceof InsufficientCreditsError) {
        await pauseBatchForCredits(db, batch.id, item.id, error);
        return { paused: "credits" };
      }
      // Made by an earlier run of this job that stopped before recording it.
      if (!isUniqueViolation(error)) throw error;
    }
    const { count } = await db.batchItem.updateMany({ where: { id: item.id, status: "starting" }, data: { status: "generating", generationId } });
    if (count === 0) {
      const now = await db.batchItem.findUnique({ where: { id: item.id }, select: { status: true } });
      // Cancelled while its generation was being created: stop that generation and refund it.
      if (now?.status === "cancelled") await cancelGeneration(db, generationId, "Cancelled with the batch.");
      // Otherwise the generation already ended and moved the item on.
      else await db.batchItem.updateMany({ where: { id: item.id, generationId: null }, data: { generationId } });
    }
    return { generationId };
  },
});

export const batchAdvanceJob = defineJob({
  type: BATCH_ADVANCE_JOB,
  payload: z.object({ batchId: z.string() }),
  maxAttempts: 5,
  async run({ batchId }, ctx) {
    await advanceBatch(ctx.db, batchId);
  },
});
