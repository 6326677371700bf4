// Moves a batch on: starts waiting products while its window has room, publishes finished ones
// when the batch publishes automatically, and marks it completed when nothing is left to do.
// Safe to call any number of times from anywhere (an advisory lock per batch serialises it).
import type { Db, DbTx } from "~/db.server";
import { env } from "~/env.server";
import { typicalMsPerImage } from "~/generation/generation-view.server";
import type { Batch } from "~/generated/prisma/client";
import { createJob } from "~/jobs/create-job.server";
import { dispatchCommitted } from "~/jobs/queue.server";

import { batchCompleted } from "./batch-completed.server";
import { BATCH_ADVANCE_JOB, BATCH_ITEM_JOB } from "./jobs";
import { batchWindow } from "./pacing";
import { publishBatchItem } from "./publish-batch-item.server";

/** Item states that still have work ahead of them (the batch is not done while any is). */
export const OPEN_ITEM_STATES = ["waiting", "starting", "generating", "publishing"] as const;
/** Item states that hold a place in the batch's window. */
export const IN_FLIGHT_STATES = ["starting", "generating"] as const;

export async function windowOf(db: Db, batch: Batch): Promise<number> {
  const typical = await typicalMsPerImage(db, batch);
  return batchWindow({
    provider: batch.provider,
    imagesPerMinute: batch.provider === "gemini" ? env().geminiImagesPerMinute : null,
    typicalMsPerImage: typical,
    variants: batch.variants,
    jobConcurrency: env().jobConcurrency,
  });
}

export async function advanceBatch(db: Db, batchId: string): Promise<void> {
  const batch = await db.batch.findUnique({ where: { id: batchId } });
  if (!batch) return;

  // Automatic publishing: results go onto their products as they come (unless cancelled).
  if (batch.onResult === "publish" && batch.status !== "cancelled") {
    const ready = await db.batchItem.findMany({ where: { batchId, status: "review" }, orderBy: { position: "asc" } });
    for (const item of ready) await publishBatchItem(db, batch, item);
  }

  if (batch.status === "running") {
    const window = await windowOf(db, batch);
    const jobs = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`batch:${batchId}`}))`;
      const inFlight = await tx.batchItem.count({ where: { batchId, status: { in: [...IN_FLIGHT_STATES] } } });
      const free = window - inFlight;
      if (free <= 0) return [];
      const claimed = await tx.$queryRaw<Array<{ id: string }>>`
        UPDATE "BatchItem"
           SET status = 'starting', attempt = attempt + 1, "startedAt" = now(), "finishedAt" = NULL, "errorMessage" = NULL, "updatedAt" = now()
         WHERE id IN (SELECT id FROM "BatchItem" WHERE "batchId" = ${batchId} AND status = 'waiting' ORDER BY position LIMIT ${free} FOR UPDATE SKIP LOCKED)
        RETURNING id`;
      return Promise.all(claimed.map(({ id }) => createJob(tx, { type: BATCH_ITEM_JOB, payload: { itemId: id }, shopId: batch.shopId, priority: 1 })));
    });
    await Promise.all(jobs.map((job) => dispatchCommitted(job)));
  }

  // Done when nothing is left to start, make or publish (results may still wait for review).
  if (batch.status === "running") {
    const open = await db.batchItem.count({ where: { batchId, status: { in: [...OPEN_ITEM_STATES] } } });
    if (open === 0) {
      const { count } = await db.batch.updateMany({ where: { id: batchId, status: "running" }, data: { status: "completed", finishedAt: new Date() } });
      if (count === 1) await batchCompleted(db, batchId);
    }
  }
}

/**
 * Asks for the batch to be moved on. Outside a transaction it moves on now; inside one (a job's
 * last-attempt compensation) it leaves a job row that runs once the transaction commits.
 */
export async function requestAdvance(db: Db | DbTx, batch: { id: string; shopId: string }): Promise<void> {
  if ("$transaction" in db) return advanceBatch(db as Db, batch.id);
  await createJob(db, { type: BATCH_ADVANCE_JOB, payload: { batchId: batch.id }, shopId: batch.shopId });
}
