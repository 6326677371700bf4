// One shop's catalogue batch never starves another shop: while shop A runs a 200-product batch,
// shop B's single Studio generation starts as soon as one worker slot frees (it waits at most one
// job's time, not behind A's queue). Shown on both queue backends.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import { afterEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "lightbox-service-key-for-tests";
});

import { ingestAsset } from "~/assets/ingest-asset.server";
import { windowOf } from "~/batches/advance-batch.server";
import { db } from "~/db.server";
import { createGeneration } from "~/generation/create-generation.server";
import { createBullmqQueue, type BullmqJobQueue } from "~/jobs/bullmq-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { registerShop } from "~/shops/register-shop.server";

import { dropQueue, testRedisUrl } from "../helpers/redis";
import { until } from "../helpers/until";
import { startBatch, startBatchHarness, WHITE_STUDIO, type BatchHarness } from "./support";

const photo = readFileSync(path.resolve(__dirname, "../fixtures/images/valid-photo.jpg"));
const GEMINI_MS = 300;

let h: BatchHarness | undefined;
let bull: BullmqJobQueue | undefined;
let bullName: string | undefined;
afterEach(async () => {
  await bull?.stop();
  await bull?.close();
  if (bullName) await dropQueue(bullName);
  bull = bullName = undefined;
  await h?.stopAll();
  h = undefined;
});

describe.each(["embedded", "bullmq"] as const)("fair to every shop (%s queue)", (backend) => {
  it("GIVEN shop A running a 200-product batch WHEN shop B starts one generation THEN it starts within one job slot's time", async (ctx) => {
    const redisUrl = backend === "bullmq" ? await testRedisUrl() : null;
    if (backend === "bullmq" && !redisUrl) return ctx.skip();
    h = await startBatchHarness({ products: 200, credits: 500, gemini: {}, concurrency: 1 });
    // Every Gemini call takes a while, so A's batch keeps one worker slot busy (the queue has one).
    h.fake!.next(...Array.from({ length: 400 }, () => ({ latencyMs: GEMINI_MS })));
    await h.queue.stop();
    if (backend === "bullmq") {
      bullName = `fair-${randomUUID()}`;
      bull = createBullmqQueue(db, { redisUrl: redisUrl!, queueName: bullName, concurrency: 1, sweepMs: 200 });
      setJobQueue(bull);
      await bull.start();
    } else {
      setJobQueue(h.queue);
      await h.queue.start();
    }

    const { batch } = await startBatch(h, { selection: { kind: "filter" }, settings: WHITE_STUDIO });
    await until("shop A's batch to be making images", async () => (await db.batchItem.count({ where: { batchId: batch.id, status: "review" } })) >= 3);

    const other = await registerShop(db, `fair-b-${backend}.myshopify.com`);
    const { asset } = await ingestAsset({ db, storage: h.storage, shopId: other.id, kind: "upload", bytes: photo });
    const generation = await createGeneration(db, { shopId: other.id, sourceAssetIds: [asset.id], ...WHITE_STUDIO });
    await until("shop B's generation to start", async () => (await db.generation.findUniqueOrThrow({ where: { id: generation.id } })).startedAt !== null);
    const started = await db.generation.findUniqueOrThrow({ where: { id: generation.id } });
    const waitedMs = started.startedAt!.getTime() - started.createdAt.getTime();

    // One job slot's time, measured in the same run: how long A's generation jobs hold a slot.
    const jobs = await db.job.findMany({ where: { shopId: h.shopId, type: "generation.run", status: "succeeded" }, select: { startedAt: true, finishedAt: true } });
    const slotMs = jobs.map((j) => j.finishedAt!.getTime() - j.startedAt!.getTime()).sort((a, b) => a - b);
    const longest = slotMs[slotMs.length - 1]!;
    expect(slotMs.length).toBeGreaterThanOrEqual(3);
    expect(waitedMs).toBeLessThanOrEqual(longest + 100);
    // And A's batch was far from done: B did not wait for it.
    const aLeft = await db.batchItem.count({ where: { batchId: batch.id, status: { in: ["waiting", "starting", "generating"] } } });
    expect(aLeft).toBeGreaterThan(150);
    // A never queued more than its window: the queue held a few of A's jobs, not 200.
    const window = await windowOf(db, await db.batch.findUniqueOrThrow({ where: { id: batch.id } }));
    expect(window).toBeLessThan(20);
    // (Each made image's fidelity check is a job of its own after the window, at the batch's priority.)
    expect(await db.job.count({ where: { shopId: h.shopId, status: { in: ["queued", "running"] }, type: { not: "generation.fidelity" } } })).toBeLessThanOrEqual(window + 1);
  }, 90_000);
});
