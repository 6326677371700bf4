// The balance no longer pays for the next product: the batch stops there, says why, and can be
// resumed once credits are bought. Nothing was charged for the product that did not start.
import type { InsufficientCreditsError } from "~/credits/errors";
import type { Db } from "~/db.server";

export async function pauseBatchForCredits(db: Db, batchId: string, itemId: string, error: InsufficientCreditsError): Promise<void> {
  await db.batchItem.updateMany({ where: { id: itemId, status: "starting" }, data: { status: "waiting", attempt: { decrement: 1 } } });
  const counts = await db.batchItem.groupBy({ by: ["status"], where: { batchId }, _count: { _all: true } });
  const count = (...states: string[]) => counts.filter((c) => states.includes(c.status)).reduce((sum, c) => sum + c._count._all, 0);
  const started = count("starting", "generating", "review", "publishing", "published", "rejected", "failed");
  const waiting = count("waiting");
  const stopReason =
    `Paused: not enough credits for the next product (it needs ${error.needed}, the balance is ${error.balance}). ` +
    `${started} product${started === 1 ? " was" : "s were"} started; ${waiting} wait${waiting === 1 ? "s" : ""}. ` +
    "Buy credits, then press Resume; or cancel the batch.";
  await db.batch.updateMany({ where: { id: batchId, status: "running" }, data: { status: "paused", pausedAt: new Date(), stopReason } });
}
