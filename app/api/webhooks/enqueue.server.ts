import type { Db, DbTx } from "~/db.server";
import type { Job } from "~/generated/prisma/client";
import type { FinishedGeneration } from "~/generation/generation-finished.server";
import { createJob } from "~/jobs/create-job.server";
import { jobQueue } from "~/jobs/queue.server";

import { WEBHOOK_JOB, type WebhookEvent } from "./deliver.server";

type Finished = Pick<FinishedGeneration, "id" | "shopId" | "status" | "webhookUrl" | "finishedAt">;

/**
 * Queues the webhook for a generation that has ended (succeeded or failed), if it asked for one.
 * Safe to call more than once (a re-run job): one delivery per generation and event. Works
 * inside the caller's transaction; the queue picks the job up once that commits.
 */
export async function enqueueGenerationWebhook(db: Db | DbTx, generation: Finished | string): Promise<Job | null> {
  const row: Finished | null =
    typeof generation === "string"
      ? await db.generation.findUnique({ where: { id: generation }, select: { id: true, shopId: true, status: true, webhookUrl: true, finishedAt: true } })
      : generation;
  if (!row?.webhookUrl) return null;
  if (row.status !== "succeeded" && row.status !== "failed") return null;
  const event: WebhookEvent = row.status === "succeeded" ? "generation.succeeded" : "generation.failed";
  const existing = await db.job.findFirst({
    where: { type: WEBHOOK_JOB, shopId: row.shopId, payload: { path: ["generationId"], equals: row.id } },
    select: { id: true },
  });
  if (existing) return null;
  const job = await createJob(db, {
    type: WEBHOOK_JOB,
    shopId: row.shopId,
    payload: { generationId: row.id, shopId: row.shopId, event, occurredAt: (row.finishedAt ?? new Date()).toISOString() },
  });
  try {
    await jobQueue().dispatch(job);
  } catch {
    // No queue in this process (e.g. a script): the row waits for the next worker poll.
  }
  return job;
}

/** Queues batch.completed for a batch that asked for webhooks; once per batch. */
export async function enqueueBatchWebhook(db: Db, batchId: string): Promise<Job | null> {
  const batch = await db.batch.findUnique({ where: { id: batchId }, select: { id: true, shopId: true, webhookUrl: true, finishedAt: true } });
  if (!batch?.webhookUrl) return null;
  const existing = await db.job.findFirst({
    where: { type: WEBHOOK_JOB, shopId: batch.shopId, payload: { path: ["batchId"], equals: batch.id } },
    select: { id: true },
  });
  if (existing) return null;
  const job = await createJob(db, {
    type: WEBHOOK_JOB,
    shopId: batch.shopId,
    payload: { batchId: batch.id, shopId: batch.shopId, event: "batch.completed", occurredAt: (batch.finishedAt ?? new Date()).toISOString() },
  });
  try {
    await jobQueue().dispatch(job);
  } catch {
    // No queue in this process: the row waits for the next worker poll.
  }
  return job;
}
