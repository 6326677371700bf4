// Claims one job by id and runs it: the claim is a single conditional UPDATE, so two workers
// (or a re-delivered BullMQ message) can never run the same attempt twice.
import type { Db } from "~/db.server";
import { env } from "~/env.server";
import { AppError } from "~/errors";
import type { Job, Prisma } from "~/generated/prisma/client";

import { DeferJobError, PermanentJobError, type JobDefinition } from "./define.server";
import type { JobCatalog } from "./catalog.server";
import { appJobs } from "./definitions.server";


export type RunOutcome = "succeeded" | "failed" | "retrying" | "skipped";

/** Backoff before attempt n+1: 2s, 4s, 8s ... capped at 5 minutes, with jitter. */
export function retryDelayMs(attempt: number): number {
  const base = Math.min(300_000, 2_000 * 2 ** (attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

async function claim(db: Db, jobId: string, workerId: string, type: string, leaseMs: number): Promise<Job | null> {
  const rows = await db.$queryRaw<Job[]>`
    UPDATE "Job"
       SET status = 'running', attempts = attempts + 1, "lockedBy" = ${workerId},
           "leaseUntil" = now() + (${leaseMs} * interval '1 millisecond'),
           "startedAt" = COALESCE("startedAt", now()), "updatedAt" = now()
     WHERE id = ${jobId} AND type = ${type}
       AND ((status = 'queued' AND "runAt" <= now())
         OR (status = 'running' AND "leaseUntil" < now()))
    RETURNING *`;
  return rows[0] ?? null;
}

const CRASHED_MESSAGE = "Lightbox stopped while working on this and could not finish it. Try again.";

/** Raised (as the abort reason) when another worker took over this run's job. */
class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor() {
    super("The job was taken over by another worker.");
  }
}

/**
 * Marks the job failed and runs its compensation (e.g. a credit refund) in one transaction, so
 * a crash in between can neither lose the compensation nor run it twice.
 */
async function failForGood(
  db: Db,
  job: Job,
  workerId: string,
  definition: JobDefinition,
  base: { db: Db; jobId: string; shopId: string | null; attempt: number },
  error: Error,
) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: { id: job.id, lockedBy: workerId, status: "running" },
      data: { status: "failed", message: error.message, leaseUntil: null, finishedAt: new Date() },
    });
    if (count === 1 && definition.onFailed) {
      await definition.onFailed(definition.payload.safeParse(job.payload).data, error, { ...base, db: tx });
    }
  });
}

/** Finishes the job only if this worker still holds it (a lost lease means someone else runs it). */
async function finish(db: Db, job: Job, workerId: string, data: Prisma.JobUpdateManyMutationInput) {
  const { count } = await db.job.updateMany({ where: { id: job.id, lockedBy: workerId, status: "running" }, data });
  return count === 1;
}

/**
 * `type`: the job's type when the caller already knows it (the queues do: from the due row or
 * the message), which saves reading the row before the claim. The claim checks it.
 */
export async function runJob(db: Db, jobId: string, workerId: string, type?: string, catalog: JobCatalog = appJobs()): Promise<RunOutcome> {
  const knownType = type ?? (await db.job.findUnique({ where: { id: jobId }, select: { type: true } }))?.type;
  if (!knownType) return "skipped";
  const definition = catalog.definition(knownType);
  // JOB_LEASE_MS unless the job type says otherwise: how long a silent run counts as alive.
  const leaseMs = definition?.leaseMs ?? env().jobLeaseMs;
  const job = await claim(db, jobId, workerId, knownType, leaseMs);
  if (!job) return "skipped";

  const base = { db, jobId: job.id, shopId: job.shopId, attempt: job.attempts };
  if (!definition) {
    await finish(db, job, workerId, { status: "failed", message: `Unknown job type ${job.type}`, finishedAt: new Date() });
    return "failed";
  }
  // The row holds the budget (createJob copies the definition's; a deferral raises it).
  const maxAttempts = job.maxAttempts;
  if (job.attempts > maxAttempts) {
    // Only a run that never ended gets here (its process died and its lease ran out): a
    // handler that throws is retried or failed below. Don't run it yet again (it may be what
    // kills the process); fail it, with its compensation, like any last attempt.
    await failForGood(db, job, workerId, definition, base, new PermanentJobError(CRASHED_MESSAGE));
    return "failed";
  }

  const controller = new AbortController();
  // Renewing also tells whether the lease is still ours: once another worker has taken the job
  // over (this process stalled past the lease), this run is cancelled instead of racing it.
  const renew = async () => {
    const { count } = await db.job.updateMany({
      where: { id: job.id, lockedBy: workerId, status: "running" },
      data: { leaseUntil: new Date(Date.now() + leaseMs) },
    });
    if (count === 0) controller.abort(new LeaseLostError());
  };
  const heartbeat = setInterval(() => void renew().catch(() => undefined), Math.max(250, leaseMs / 3));

  try {
    const payload = definition.payload.parse(job.payload);
    const result = await definition.run(payload, {
      ...base,
      signal: controller.signal,
      async progress(percent, message) {
        await db.job.updateMany({
          where: { id: job.id, lockedBy: workerId, status: "running" },
          data: {
            progress: Math.max(0, Math.min(99, Math.round(percent))),
            ...(message !== undefined ? { message } : {}),
            leaseUntil: new Date(Date.now() + leaseMs),
          },
        });
      },
    });
    // One plain statement (Prisma wraps updateMany in a transaction of its own).
    const finished = await db.$executeRaw`
      UPDATE "Job"
         SET status = 'succeeded', progress = 100, message = NULL, result = ${result === undefined || result === null ? null : JSON.stringify(result)}::jsonb,
             "leaseUntil" = NULL, "finishedAt" = now(), "updatedAt" = now()
       WHERE id = ${job.id} AND "lockedBy" = ${workerId} AND status = 'running'`;
    return finished === 1 ? "succeeded" : "skipped";
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    // The lease went to another worker: that run owns the job now; leave everything to it.
    if (controller.signal.aborted && controller.signal.reason instanceof LeaseLostError) return "skipped";
    if (error instanceof DeferJobError) {
      // Not a failure: the attempt it used is given back by raising the budget with it (the
      // attempt number still grows, so the handler knows it ran before).
      await finish(db, job, workerId, {
        status: "queued",
        message: error.message,
        leaseUntil: null,
        lockedBy: null,
        maxAttempts: { increment: 1 },
        runAt: new Date(Date.now() + Math.max(0, error.delayMs)),
      });
      return "retrying";
    }
    const retryable = !(error instanceof PermanentJobError) && job.attempts < maxAttempts;
    if (retryable && !(error instanceof AppError && error.retryable === false)) {
      await finish(db, job, workerId, {
        status: "queued",
        message: error.message,
        leaseUntil: null,
        lockedBy: null,
        runAt: new Date(Date.now() + retryDelayMs(job.attempts)),
      });
      return "retrying";
    }
    await failForGood(db, job, workerId, definition, base, error);
    return "failed";
  } finally {
    clearInterval(heartbeat);
    controller.abort();
  }
}
