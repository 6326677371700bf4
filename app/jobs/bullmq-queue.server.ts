// BullMQ on Redis: distributes job ids to worker processes. The Job row stays the source of
// truth; BullMQ only says "run job X now". A sweeper re-dispatches rows that are due but have no
// live message (lost notification, worker killed mid-run once its lease expired).
import { randomUUID } from "node:crypto";

import { Queue, Worker } from "bullmq";
import IORedis from "ioredis";

import type { Db } from "~/db.server";

import { dueJobIds } from "./due-jobs.server";
import type { JobQueue } from "./queue.server";
import { runJob } from "./run-job.server";
import type { JobCatalog } from "./catalog.server";
import { appJobs } from "./definitions.server";
import { tickSchedule } from "./schedules.server";

const SCHEDULE_PREFIX = "schedule:";

export type BullmqQueueOptions = {
  redisUrl: string;
  queueName?: string;
  concurrency?: number;
  sweepMs?: number;
  /** The job types and schedules it runs (default: the app's). */
  jobs?: JobCatalog;
};

export type BullmqJobQueue = JobQueue & { close(): Promise<void> };

export function createBullmqQueue(db: Db, options: BullmqQueueOptions): BullmqJobQueue {
  const name = options.queueName ?? "lightbox-jobs";
  const jobs = options.jobs ?? appJobs();
  const connection = new IORedis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection });
  const workerId = `bullmq:${process.pid}:${randomUUID().slice(0, 8)}`;
  let worker: Worker | undefined;
  let sweeper: NodeJS.Timeout | undefined;

  async function dispatch(job: { id: string; type: string; runAt: Date; attempts: number; priority: number }, tag = "") {
    // One message per attempt; the sweeper's re-dispatch gets its own tag so BullMQ keeps it.
    await queue.add(
      job.type,
      { jobId: job.id },
      {
        jobId: `${job.id}.${job.attempts}${tag}`,
        delay: Math.max(0, job.runAt.getTime() - Date.now()),
        // BullMQ runs unprioritised (0) messages first, so every message carries one: 1 for work
        // someone waits for, 2 for batches (the Job row's priority + 1).
        priority: job.priority + 1,
        removeOnComplete: 1_000,
        removeOnFail: 1_000,
      },
    );
  }

  async function sweep() {
    for (const due of await dueJobIds(db, 100, 2_000)) {
      await dispatch({ ...due, runAt: new Date() }, `.s${Math.floor(Date.now() / 10_000)}`);
    }
  }

  const self: BullmqJobQueue = {
    kind: "bullmq",
    dispatch: (job) => dispatch(job),
    async start() {
      worker = new Worker(
        name,
        async (message) => {
          // A scheduler tick (BullMQ job scheduler) creates the scheduled Job row.
          if (message.name.startsWith(SCHEDULE_PREFIX)) {
            const schedule = jobs.schedules.find((s) => `${SCHEDULE_PREFIX}${s.type}` === message.name);
            if (schedule) await tickSchedule(db, self, schedule, jobs);
            return "scheduled";
          }
          const jobId = String((message.data as { jobId: string }).jobId);
          const outcome = await runJob(db, jobId, workerId, message.name, jobs);
          if (outcome === "retrying") {
            const row = await db.job.findUnique({ where: { id: jobId } });
            if (row) await dispatch(row);
          }
          return outcome;
        },
        { connection: connection.duplicate(), concurrency: options.concurrency ?? 4 },
      );
      worker.on("error", (error) => console.error("[jobs] worker error", error));
      for (const schedule of jobs.schedules) {
        await queue.upsertJobScheduler(`${SCHEDULE_PREFIX}${schedule.type}`, { every: schedule.everyMs }, { name: `${SCHEDULE_PREFIX}${schedule.type}` });
      }
      sweeper = setInterval(() => void sweep().catch((e) => console.error("[jobs] sweep failed", e)), options.sweepMs ?? 5_000);
      await sweep();
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      await worker?.close();
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      await worker?.close();
      await queue.close();
      connection.disconnect();
    },
  };
  return self;
}
