// Everything that follows a generation reaching its end (succeeded, partly made, or failed), in
// one explicit place. Runs in the job (or in the transaction that failed it for good): nothing
// here may fail the generation, so each step logs its own failure.
import { enqueueGenerationWebhook } from "~/api/webhooks/enqueue.server";
import { batchGenerationFinished } from "~/batches/batch-generation-finished.server";
import type { Db, DbTx } from "~/db.server";
import type { Generation } from "~/generated/prisma/client";

import { enqueueFidelityCheck } from "./fidelity-job.server";

/** The fields of a generation that has just reached its end (what the generation job selects). */
export type FinishedGeneration = Pick<Generation, "id" | "shopId" | "status" | "webhookUrl" | "finishedAt" | "batchItemId" | "errorCode" | "errorMessage">;

export const FINISHED_GENERATION_FIELDS = {
  id: true,
  shopId: true,
  status: true,
  webhookUrl: true,
  finishedAt: true,
  batchItemId: true,
  errorCode: true,
  errorMessage: true,
} as const;

export async function generationFinished(db: Db | DbTx, generation: FinishedGeneration): Promise<void> {
  // The API client's webhook_url, when it gave one.
  await enqueueGenerationWebhook(db, generation).catch((error) => console.error(`[api] could not queue the webhook of ${generation.id}`, error));
  // The fidelity check of its images, as a job of its own (ADR 0095).
  await enqueueFidelityCheck(db, generation).catch((error) => console.error(`[fidelity] could not queue the check of ${generation.id}`, error));
  // A catalogue batch's product: its item moves on, and the batch with it.
  if (generation.batchItemId) {
    await batchGenerationFinished(db, generation).catch((error) => console.error(`[batches] could not move on after ${generation.id}`, error));
  }
}
