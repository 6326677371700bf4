// Jobs in the app process, from the database. Polls for due jobs (and is woken at once by
// dispatch), runs up to `concurrency` at a time. Survives restarts: queued rows wait in the
// database, and a job whose process died is re-run when its lease expires (PGlite is owned by
// one process, so there its orphaned jobs are re-queued on start).
import { randomUUID } from "node:crypto";

import type { Db } from "~/db.server";

import { dueJobIds } from "./due-jobs.server";
import type { JobQueue } from "./queue.server";
import { runJob } from "./run-job.server";
import type { JobCatalog } from "./catalog.server";
import { appJobs } from "./definitions.server";
import { tickSchedule } from "./schedules.server";

export type EmbeddedQueueOptions = {
  concurrency?: number;
  pollMs?: number;
  /** Re-queue jobs left "running" by a previous process at start (single-process databases). */
  recoverOrphansOnStart?: boolean;
  /** The job types and schedules it runs (default: the app's). */
  jobs?: JobCatalog;
};

export type EmbeddedQueue = JobQueue & {
  /** Runs due jobs until none are left (tests). */
  drain(): Promise<void>;
};

export function createEmbeddedQueue(db: Db, options: EmbeddedQueueOptions = {}): EmbeddedQueue {
  const concurrency = options.concurrency ?? 4;
  const jobs = options.jobs ?? appJobs();
  const pollMs = options.pollMs ?? 1_000;
  const workerId = `embedded:${process.pid}:${randomUUID().slice(0, 8)}`;
  const active = new Map<string, Promise<unknown>>();
  let running = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  const timers: NodeJS.Timeout[] = [];
  // Whether due jobs may be waiting that this process has not started: set when a look found
  // as many as it could start, or a job was dispatched with every slot busy; cleared by a look that
  // found fewer. While it is clear, a dispatched job starts at once and an ending one starts
  // nothing, without a query (jobs other processes write are found by the poll).
  let backlog = true;

  function start(id: string, type: string) {
    const run = runJob(db, id, workerId, type, jobs)
      .catch((error) => console.error(`[jobs] job ${id} crashed the runner`, error))
      .finally(() => {
        active.delete(id);
        if (backlog) wake?.();
      });
    active.set(id, run);
  }

  // A dispatch during a look may have committed after the look's snapshot: look again.
  let looking = false;
  let missed = false;

  async function fill(): Promise<number> {
    if (concurrency - active.size <= 0) return 0;
    looking = true;
    missed = false;
    let found;
    try {
      found = (await dueJobIds(db, concurrency)).filter((job) => !active.has(job.id));
    } finally {
      looking = false;
    }
    const free = concurrency - active.size;
    const due = found.slice(0, Math.max(0, free));
    backlog = missed || found.length >= free;
    for (const { id, type } of due) start(id, type);
    return due.length;
  }

  async function tick() {
    while (running) {
      await fill().catch((error) => console.error("[jobs] polling failed", error));
      if (missed && active.size < concurrency) continue;
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
    async dispatch(job) {
      // Due now, a slot free and nothing known to be waiting before it: start it without a look.
      if (running && !backlog && job.runAt.getTime() <= Date.now() && active.size < concurrency && !active.has(job.id)) {
        start(job.id, job.type);
        return;
      }
      backlog = true;
      if (looking) missed = true;
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
      for (const schedule of jobs.schedules) {
        const fire = () => void tickSchedule(db, queue, schedule, jobs).catch((e) => console.error(`[jobs] schedule ${schedule.type} failed`, e));
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
