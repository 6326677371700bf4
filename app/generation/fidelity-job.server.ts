// The fidelity check runs as its own job after a generation succeeds, so the generation's hot path
// only writes one more row (this job's). See docs/decisions/0095-fidelity-check.md.
import { z } from "zod";

import type { Db, DbTx } from "~/db.server";
import { env } from "~/env.server";
import { createJob } from "~/jobs/create-job.server";
import { defineJob } from "~/jobs/define.server";
import { jobQueue } from "~/jobs/queue.server";
import { appStorage } from "~/storage/from-env.server";

import { checkGenerationFidelity } from "./check-generation-fidelity.server";

export const FIDELITY_JOB = "generation.fidelity";
const MAX_ATTEMPTS = 3;

export const fidelityJob = defineJob({
  type: FIDELITY_JOB,
  payload: z.object({ generationId: z.string() }),
  maxAttempts: MAX_ATTEMPTS,
  // Queued by the app once the generation has ended: never refused by the shop's job limit.
  exemptFromShopLimit: true,
  run: ({ generationId }, ctx) =>
    checkGenerationFidelity(ctx.db, appStorage(), { generationId, lastAttempt: ctx.attempt >= MAX_ATTEMPTS, signal: ctx.signal }),
});

/**
 * Queues the check of a generation that has just succeeded (inside the caller's transaction when it
 * has one). Off for every shop with FIDELITY_CHECK=off; a shop's own setting is read by the job.
 */
export async function enqueueFidelityCheck(db: Db | DbTx, generation: { id: string; shopId: string; status: string; batchItemId: string | null }): Promise<void> {
  if (generation.status !== "succeeded" || !env().fidelityCheck) return;
  const job = await createJob(db, {
    type: FIDELITY_JOB,
    shopId: generation.shopId,
    payload: { generationId: generation.id },
    // A batch's checks yield to work someone waits for, like the batch itself.
    priority: generation.batchItemId ? 1 : 0,
  });
  try {
    await jobQueue().dispatch(job);
  } catch {
    // No queue in this process (a script): the row waits for the next worker poll.
  }
}
