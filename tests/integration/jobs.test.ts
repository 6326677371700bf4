import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

import { db } from "~/db.server";
import { createBullmqQueue } from "~/jobs/bullmq-queue.server";
import { jobCatalog } from "~/jobs/catalog.server";
import { defineJob, PermanentJobError } from "~/jobs/define.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { enqueue, setJobQueue, type JobQueue } from "~/jobs/queue.server";
import { runJob } from "~/jobs/run-job.server";

import { dropQueue, testRedisUrl } from "../helpers/redis";

const runs = new Map<string, number>();
const compensations = new Map<string, number>();

const workJob = defineJob({
    type: "test.work",
    payload: z.object({ key: z.string(), failTimes: z.number().default(0), permanent: z.boolean().default(false), ms: z.number().default(0) }),
    maxAttempts: 3,
    leaseMs: 2_000,
    async run({ key, failTimes, permanent, ms }, ctx) {
      const n = (runs.get(key) ?? 0) + 1;
      runs.set(key, n);
      await ctx.progress(50, "Halfway");
      if (ms) await new Promise((resolve) => setTimeout(resolve, ms));
      if (permanent) throw new PermanentJobError("This can never work");
      if (n <= failTimes) throw new Error(`Transient failure ${n}`);
      return { key, attempt: ctx.attempt };
    },
    async onFailed({ key }) {
      compensations.set(key, (compensations.get(key) ?? 0) + 1);
    },
  });

let ticks = 0;
const tickJob = defineJob({
    type: "test.tick",
    payload: z.object({}),
    async run() {
      ticks += 1;
    },
  });
/** The queues under test run these job types (and nothing of the app's). */
const jobs = jobCatalog([workJob, tickJob], [{ type: "test.tick", everyMs: 150 }]);

async function waitFor(jobId: string, status: string[], minAttempts = 0, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    if (status.includes(job.status) && job.attempts >= minAttempts) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Retries are scheduled seconds ahead; make them due now. */
async function makeDue(jobId: string) {
  await db.job.updateMany({ where: { id: jobId, status: "queued" }, data: { runAt: new Date(Date.now() - 1) } });
}

const BULL_QUEUE = `test-${randomUUID()}`;
const backends: Array<[string, () => Promise<(JobQueue & { close?(): Promise<void> }) | null>]> = [
  ["embedded", async () => createEmbeddedQueue(db, { pollMs: 50, jobs })],
  [
    "bullmq",
    async () => {
      const url = await testRedisUrl();
      return url ? createBullmqQueue(db, { redisUrl: url, queueName: BULL_QUEUE, sweepMs: 200, jobs }) : null;
    },
  ],
];

describe.each(backends)("job queue: %s backend", (_name, make) => {
  let queue: (JobQueue & { close?(): Promise<void> }) | null = null;

  beforeAll(async () => {
    queue = await make();
    if (!queue) return;
    setJobQueue(queue);
    await queue.start();
  });
  afterAll(async () => {
    await queue?.stop();
    await queue?.close?.();
    setJobQueue(undefined);
    if (queue?.kind === "bullmq") await dropQueue(BULL_QUEUE);
  });

  it("runs a job to success with its result and 100% progress", async (ctx) => {
    if (!queue) return ctx.skip();
    const key = randomUUID();
    const job = await enqueue(db, { type: "test.work", payload: { key } }, jobs);
    const done = await waitFor(job.id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.progress).toBe(100);
    expect(done.result).toEqual({ key, attempt: 1 });
  });

  it("retries a transient failure and succeeds once", async (ctx) => {
    if (!queue) return ctx.skip();
    const key = randomUUID();
    const job = await enqueue(db, { type: "test.work", payload: { key, failTimes: 1 } }, jobs);
    const retrying = await waitFor(job.id, ["queued"], 1);
    expect(retrying.message).toBe("Transient failure 1");
    await makeDue(job.id);
    await queue.dispatch({ ...retrying, runAt: new Date() });
    const done = await waitFor(job.id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBe(2);
    expect(runs.get(key)).toBe(2);
  });

  it("fails a permanent error at once, with its message, compensating exactly once", async (ctx) => {
    if (!queue) return ctx.skip();
    const key = randomUUID();
    const job = await enqueue(db, { type: "test.work", payload: { key, permanent: true } }, jobs);
    const done = await waitFor(job.id, ["failed", "succeeded"]);
    expect(done.status).toBe("failed");
    expect(done.message).toBe("This can never work");
    expect(runs.get(key)).toBe(1);
    expect(compensations.get(key)).toBe(1);
  });

  it("runs registered schedules as ordinary jobs", async (ctx) => {
    if (!queue) return ctx.skip();
    const before = await db.job.count({ where: { type: "test.tick", status: "succeeded" } });
    const deadline = Date.now() + 10_000;
    while ((await db.job.count({ where: { type: "test.tick", status: "succeeded" } })) < before + 2) {
      if (Date.now() > deadline) throw new Error("schedule did not tick twice");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(ticks).toBeGreaterThanOrEqual(2);
  });

  it("re-runs a job whose worker died (lease expired) and finishes it once", async (ctx) => {
    if (!queue) return ctx.skip();
    const key = randomUUID();
    const job = await db.job.create({
      data: {
        type: "test.work",
        payload: { key },
        status: "running",
        attempts: 1,
        lockedBy: "dead-worker",
        leaseUntil: new Date(Date.now() - 1_000),
      },
    });
    await queue.dispatch({ ...job, runAt: new Date() });
    const done = await waitFor(job.id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.lockedBy).not.toBe("dead-worker");
    expect(runs.get(key)).toBe(1);
  });
});

describe("claiming", () => {
  it("lets only one of many concurrent runners run a job", async () => {
    const key = randomUUID();
    const job = await db.job.create({ data: { type: "test.work", payload: { key, ms: 100 } } });
    const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => runJob(db, job.id, `w${i}`, undefined, jobs)));
    expect(outcomes.filter((o) => o === "succeeded")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "skipped")).toHaveLength(4);
    expect(runs.get(key)).toBe(1);
  });

  it("does not touch a job whose lease is still held by a live worker", async () => {
    const job = await db.job.create({
      data: { type: "test.work", payload: { key: "held" }, status: "running", lockedBy: "alive", leaseUntil: new Date(Date.now() + 60_000) },
    });
    expect(await runJob(db, job.id, "intruder", undefined, jobs)).toBe("skipped");
  });

  it("on a single-process database, re-queues jobs orphaned by a crash when starting", async () => {
    const job = await db.job.create({
      data: { type: "test.work", payload: { key: randomUUID() }, status: "running", lockedBy: "crashed", leaseUntil: new Date(Date.now() + 60_000) },
    });
    const queue = createEmbeddedQueue(db, { pollMs: 50, recoverOrphansOnStart: true, jobs });
    setJobQueue(queue);
    await queue.start();
    const done = await waitFor(job.id, ["succeeded", "failed"]);
    await queue.stop();
    expect(done.status).toBe("succeeded");
  });
});
