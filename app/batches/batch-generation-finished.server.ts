// A batch item's generation has ended: the item moves on (to review, or back to waiting when
// Gemini was only busy, or failed with the reason) and the batch is asked to move on. Called from
// generationFinished, inside the transaction that ended the generation when there is one.
import type { Db, DbTx } from "~/db.server";
import type { FinishedGeneration } from "~/generation/generation-finished.server";

import { requestAdvance } from "./advance-batch.server";
import { batchGenerationId } from "./jobs";

/** Failures that say "not now", not "not this": the item waits and starts again (refunded meanwhile). */
const TRANSIENT = new Set(["RATE_LIMITED", "UPSTREAM_UNAVAILABLE", "TIMEOUT", "UNKNOWN", "FAILED"]);
/** Failures every next item would hit too: the batch pauses and says why. */
const STOPPING: Record<string, string> = {
  QUOTA_EXHAUSTED: "Paused: the Gemini key has used up its quota. Resume once the quota resets (or raise it in Google AI Studio).",
  INVALID_API_KEY: "Paused: the Gemini API key was rejected. Check the key in Settings, then press Resume.",
  PERMISSION_DENIED: "Paused: the Gemini API key may not make images. Check its project in Google AI Studio, then press Resume.",
  MODEL_NOT_FOUND: "Paused: the chosen Gemini model is not available. Cancel this batch and start one with another model.",
};
/** Automatic restarts per item before a transient failure counts as a failure. */
export const MAX_AUTO_RETRIES = 3;

export async function batchGenerationFinished(db: Db | DbTx, generation: FinishedGeneration): Promise<void> {
  if (!generation.batchItemId) return;
  const item = await db.batchItem.findUnique({ where: { id: generation.batchItemId } });
  // An earlier attempt's generation (the item was regenerated or cancelled since): nothing to do.
  if (!item || batchGenerationId(item) !== generation.id || (item.status !== "starting" && item.status !== "generating")) return;
  const moved = { where: { id: item.id, status: { in: ["starting" as const, "generating" as const] } } };
  const code = generation.errorCode ?? "FAILED";
  if (generation.status === "succeeded") {
    await db.batchItem.updateMany({ ...moved, data: { status: "review", generationId: generation.id, finishedAt: new Date(), errorMessage: generation.errorMessage } });
  } else if (STOPPING[code]) {
    await db.batchItem.updateMany({ ...moved, data: { status: "waiting", generationId: generation.id, errorMessage: generation.errorMessage } });
    await db.batch.updateMany({ where: { id: item.batchId, status: "running" }, data: { status: "paused", pausedAt: new Date(), stopReason: STOPPING[code] } });
  } else if (TRANSIENT.has(code) && item.autoRetries < MAX_AUTO_RETRIES) {
    await db.batchItem.updateMany({ ...moved, data: { status: "waiting", autoRetries: { increment: 1 }, generationId: generation.id, errorMessage: null } });
  } else {
    await db.batchItem.updateMany({ ...moved, data: { status: "failed", generationId: generation.id, finishedAt: new Date(), errorMessage: generation.errorMessage } });
  }
  await requestAdvance(db, { id: item.batchId, shopId: item.shopId });
}
