// The review queue: approve (publish), reject, regenerate, retry; and approve everything waiting.
import type { Db } from "~/db.server";
import { AppError, notFound } from "~/errors";
import type { Batch, BatchItem } from "~/generated/prisma/client";
import { createJob } from "~/jobs/create-job.server";
import { dispatchCommitted } from "~/jobs/queue.server";

import { BATCH_ITEM_JOB } from "./jobs";
import { publishBatchItem } from "./publish-batch-item.server";

async function ownItem(db: Db, shopId: string, batchId: string, itemId: string): Promise<{ batch: Batch; item: BatchItem }> {
  const item = await db.batchItem.findFirst({ where: { id: itemId, batchId, shopId }, include: { batch: true } });
  if (!item) throw notFound("Product of this batch");
  const { batch, ...rest } = item;
  return { batch, item: rest };
}

export async function approveBatchItem(db: Db, shopId: string, batchId: string, itemId: string): Promise<void> {
  const { batch, item } = await ownItem(db, shopId, batchId, itemId);
  if (item.status === "publishing" || item.status === "published") return;
  if (item.status !== "review" && item.status !== "rejected") {
    throw new AppError("CONFLICT", "This product's image is not ready yet; approve it once it has been made.");
  }
  await publishBatchItem(db, batch, item);
}

/** Publishes every result waiting for review; returns how many were sent. */
export async function approveAllBatchItems(db: Db, shopId: string, batchId: string): Promise<number> {
  const batch = await db.batch.findFirst({ where: { id: batchId, shopId } });
  if (!batch) throw notFound("Batch");
  const waiting = await db.batchItem.findMany({ where: { batchId, status: "review" }, orderBy: { position: "asc" } });
  let sent = 0;
  for (const item of waiting) if (await publishBatchItem(db, batch, item)) sent++;
  return sent;
}

export async function rejectBatchItem(db: Db, shopId: string, batchId: string, itemId: string): Promise<void> {
  const { item } = await ownItem(db, shopId, batchId, itemId);
  if (item.status === "rejected") return;
  if (item.status !== "review") throw new AppError("CONFLICT", "Only a result waiting for review can be rejected.");
  await db.batchItem.updateMany({ where: { id: item.id, status: "review" }, data: { status: "rejected" } });
}

/**
 * Makes the product's image again (a new attempt, charged like the first) or retries a failed
 * product. Starts at once, next to the batch's window: the merchant is waiting for it.
 */
export async function regenerateBatchItem(db: Db, shopId: string, batchId: string, itemId: string): Promise<void> {
  const { batch, item } = await ownItem(db, shopId, batchId, itemId);
  if (batch.status === "cancelled") throw new AppError("CONFLICT", "This batch was cancelled; start a new batch for this product.");
  if (!["review", "rejected", "failed", "published"].includes(item.status)) {
    throw new AppError("CONFLICT", "This product is still being worked on; wait until it is done.");
  }
  const job = await db.$transaction(async (tx) => {
    const { count } = await tx.batchItem.updateMany({
      where: { id: item.id, status: item.status },
      data: { status: "starting", attempt: { increment: 1 }, autoRetries: 0, startedAt: new Date(), finishedAt: null, errorMessage: null },
    });
    if (count === 0) return null;
    return createJob(tx, { type: BATCH_ITEM_JOB, payload: { itemId: item.id, asked: true }, shopId, priority: 0 });
  });
  if (job) await dispatchCommitted(job);
}
