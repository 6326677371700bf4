// Pause, resume and cancel. Pausing lets the products already started finish (they are paid
// for); cancelling also stops those, refunding their credits, and ends every waiting product.
import type { Db } from "~/db.server";
import { AppError, notFound } from "~/errors";
import { cancelGeneration } from "~/generation/cancel-generation.server";
import type { Batch } from "~/generated/prisma/client";

import { advanceBatch } from "./advance-batch.server";

async function ownBatch(db: Db, shopId: string, batchId: string): Promise<Batch> {
  const batch = await db.batch.findFirst({ where: { id: batchId, shopId } });
  if (!batch) throw notFound("Batch");
  return batch;
}

export async function pauseBatch(db: Db, shopId: string, batchId: string): Promise<Batch> {
  const batch = await ownBatch(db, shopId, batchId);
  if (batch.status === "paused") return batch;
  if (batch.status !== "running") throw new AppError("CONFLICT", `This batch is ${batch.status}; only a running batch can be paused.`);
  await db.batch.updateMany({ where: { id: batchId, status: "running" }, data: { status: "paused", pausedAt: new Date(), stopReason: null } });
  return ownBatch(db, shopId, batchId);
}

export async function resumeBatch(db: Db, shopId: string, batchId: string): Promise<Batch> {
  const batch = await ownBatch(db, shopId, batchId);
  if (batch.status === "running") return batch;
  if (batch.status !== "paused") throw new AppError("CONFLICT", `This batch is ${batch.status}; only a paused batch can be resumed.`);
  await db.batch.updateMany({ where: { id: batchId, status: "paused" }, data: { status: "running", pausedAt: null, stopReason: null } });
  await advanceBatch(db, batchId);
  return ownBatch(db, shopId, batchId);
}

export const CANCELLED_MESSAGE = "Cancelled with the batch; its credits were refunded.";

export async function cancelBatch(db: Db, shopId: string, batchId: string): Promise<Batch> {
  const batch = await ownBatch(db, shopId, batchId);
  if (batch.status === "cancelled") return batch;
  if (batch.status === "completed") throw new AppError("CONFLICT", "This batch has already finished; there is nothing to cancel.");
  await db.batch.updateMany({ where: { id: batchId, status: { in: ["running", "paused"] } }, data: { status: "cancelled", finishedAt: new Date() } });
  // Products not started end now; a product whose job is starting it sees the batch cancelled.
  await db.batchItem.updateMany({ where: { batchId, status: { in: ["waiting", "starting"] } }, data: { status: "cancelled", finishedAt: new Date() } });
  // Products being made stop, and their credits come back.
  const making = await db.batchItem.findMany({ where: { batchId, status: "generating" }, select: { id: true, generationId: true } });
  for (const item of making) {
    if (item.generationId) await cancelGeneration(db, item.generationId, CANCELLED_MESSAGE);
    await db.batchItem.updateMany({ where: { id: item.id, status: "generating" }, data: { status: "cancelled", finishedAt: new Date(), errorMessage: CANCELLED_MESSAGE } });
  }
  return ownBatch(db, shopId, batchId);
}
