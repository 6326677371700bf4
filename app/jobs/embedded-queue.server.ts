// Jobs in the app process, from the database. Polls for due jobs (and is woken at once by
// dispatch), runs up to `concurrency` at a time. Survives restarts: queued rows wait in the
// database, and a job whose process died is re-run when its lease expires (PGlite is owned by
// one process, so there its orphaned jobs are re-queued on start).
import { randomUUID } from "node:crypto";

import type { Db } from "~/db.server";

import { dueJobIds } from "./due-jobs.server";
import type { JobQueue } from "./queue.server";
import { runJob } from "./run-job.server";
import { registeredSchedules, tickSchedule } from "./schedules.server";

export type EmbeddedQueueOptions = {
  concurrency?: number;
  pollMs?: number;
  /** Re-queue jobs left "running" by a previous process at start (single-process databases). */
  recoverOrphansOnStart?: boolean;
};

export type EmbeddedQueue = JobQueue & {
  /** Runs due jobs until none are left (tests). */
  drain(): Promise<void>;
};

export function createEmbeddedQueue(db: Db, options: EmbeddedQueueOptions = {}): EmbeddedQueue {
  const concurrency = options.concurrency ?? 4;
  const pollMs = options.pollMs ?? 1_000;
  const workerId = `embedded:${process.pid}:${randomUUID().slice(0, 8)}`;
  const active = new Map<string, Promise<unknown>>();
  let running = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  const timers: NodeJS.Timeout[] = [];

  async function fill(): Promise<number> {
    const free = concurrency - active.size;
    if (free <= 0) return 0;
    const due = (await dueJobIds(db, free + active.size)).filter((job) => !active.has(job.id)).slice(0, free);
    for (const { id, type } of due) {
      const run = runJob(db, id, workerId, type)
        .catch((error) => console.error(`[jobs] job ${id} crashed the runner`, error))
        .finally(() => {
          active.delete(id);
          wake?.();
        });
      active.set(id, run);
    }
    return due.length;
  }

  async function tick() {
    while (running) {
      await fill().catch((error) => console.error("[jobs] polling failed", error));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  const queue: EmbeddedQueue = {
    kind: "embedded",
    async dispatch() {
      wake?.();
    },
    async start() {
      if (running) return;
      if (options.recoverOrphansOnStart) {
        await db.job.updateMany({
          where: { status: "running" },
          data: { status: "queued", leaseUntil: null, lockedBy: null },
        });
      }
      running = true;
      loop = tick();
      for (const schedule of registeredSchedules()) {
        const fire = () => void tickSchedule(db, queue, schedule).catch((e) => console.error(`[jobs] schedule ${schedule.type} failed`, e));
        fire();
        timers.push(setInterval(fire, schedule.everyMs));
      }
    },
    async stop() {
      running = false;
      for (const timer of timers.splice(0)) clearInterval(timer);
      wake?.();
      await loop;
      await Promise.allSettled(active.values());
    },
    async drain() {
      for (;;) {
        const started = await fill();
        if (started === 0 && active.size === 0) return;
        await Promise.race(active.values());
      }
    },
  };
  return queue;
}
