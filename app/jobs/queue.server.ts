// One queue interface, two backends chosen by env (docs/decisions/0005-durable-jobs-two-backends.md):
//   no REDIS_URL -> jobs run inside the app process, polled from the database;
//   REDIS_URL    -> BullMQ distributes them to worker processes (`npm run worker`).
// Either way the Job row is the source of truth for status, progress and results.
import type { Db } from "~/db.server";
import type { Job } from "~/generated/prisma/client";
import { withTimeout } from "~/timeout";

import type { AppJobType } from "./definitions.server";
import type { JobCatalog } from "./catalog.server";
import { createJob, type NewCatalogJob, type NewJob } from "./create-job.server";

export type JobQueue = {
  kind: "embedded" | "bullmq";
  /** Tells the backend a job row is ready (after the transaction that created it commits). */
  dispatch(job: Pick<Job, "id" | "type" | "runAt" | "attempts" | "priority">): Promise<void>;
  /** Starts running jobs in this process. */
  start(): Promise<void>;
  stop(): Promise<void>;
};

let queue: JobQueue | undefined;

export function setJobQueue(next: JobQueue | undefined): void {
  queue = next;
}

export function jobQueue(): JobQueue {
  if (!queue) throw new Error("The job queue is not configured (call configureJobQueue at startup)");
  return queue;
}

const DISPATCH_WAIT_MS = 2_000;

/**
 * Tells the queue about a job row that has committed, without failing the request: the row is
 * the truth, and a lost notification is picked up by the next poll (embedded) or the sweeper
 * (BullMQ). Failing here would tell the merchant "error" about work that is paid for and will
 * run, and invite a second, double-charged click.
 */
export async function dispatchCommitted(job: Pick<Job, "id" | "type" | "runAt" | "attempts" | "priority">): Promise<void> {
  try {
    await withTimeout(jobQueue().dispatch(job), DISPATCH_WAIT_MS, "The job queue");
  } catch (error) {
    console.error(`[jobs] could not notify the queue of job ${job.id}; it runs on the next sweep`, error);
  }
}

/** createJob + dispatch, for jobs that need no surrounding transaction. */
export function enqueue<T extends AppJobType>(db: Db, input: NewJob<T>): Promise<Job>;
export function enqueue(db: Db, input: NewCatalogJob, catalog: JobCatalog): Promise<Job>;
export async function enqueue(db: Db, input: NewCatalogJob, catalog?: JobCatalog): Promise<Job> {
  const job = catalog ? await createJob(db, input, catalog) : await createJob(db, input as NewJob);
  await dispatchCommitted(job);
  return job;
}
