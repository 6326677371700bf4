// A generation whose process is killed (SIGKILL) halfway is picked up again after a restart and
// finishes once: one asset per variant, one debit, no refund. Shown for the embedded queue (the
// app process on PGlite) and for BullMQ (a worker process on PostgreSQL + Redis).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { freePort } from "@lightbox/shopify-simulator/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

process.env.GEMINI_API_KEY = "crash-test-service-key";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { openDatabase, type Database } from "~/db/open.server";
import { createGeneration } from "~/generation/create-generation.server";
import { createBullmqQueue } from "~/jobs/bullmq-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { registerShop } from "~/shops/register-shop.server";
import { createStorage } from "~/storage/index.server";

import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";
import { createTestDatabase, testPostgresAdminUrl } from "../helpers/postgres";
import { dropQueue, testRedisUrl } from "../helpers/redis";
import { until } from "../helpers/until";
import { exited, noDispatch, startApp } from "./support/app-child";

const ROOT = path.resolve(__dirname, "../..");
const photo = readFileSync(path.join(ROOT, "tests/fixtures/images/valid-photo.jpg"));
const SHOP = "crash-test.myshopify.com";
let fake: GeminiFake;

beforeAll(async () => {
  fake = await startGeminiFake({ apiKey: "crash-test-service-key" });
});
afterAll(async () => {
  await fake?.stop();
});

/** Every Gemini call takes a while, so there is time to kill the process mid-generation. */
function slowGemini() {
  fake.reset();
  fake.next(...Array.from({ length: 20 }, () => ({ latencyMs: 1_200 })));
}

async function startGeneration(database: Database, dataDir: string) {
  const shop = await registerShop(database.prisma, SHOP);
  const storage = createStorage({ kind: "disk", root: path.join(dataDir, "objects"), publicBaseUrl: "http://127.0.0.1/files", signingSecret: "x".repeat(40) });
  const { asset } = await ingestAsset({ db: database.prisma, storage, shopId: shop.id, kind: "upload", bytes: photo });
  const generation = await createGeneration(database.prisma, {
    shopId: shop.id,
    sourceAssetIds: [asset.id],
    presetId: "white-studio",
    aspectRatio: "1:1",
    resolution: "1K",
    variants: 2,
  });
  return { shopId: shop.id, generationId: generation.id };
}

/** The app as this file runs it: on the Gemini fake. */
const appEnv = (): Record<string, string> => ({ GEMINI_API_KEY: "crash-test-service-key", GEMINI_BASE_URL: fake.baseUrl });

async function assertFinishedOnce(database: Database, shopId: string, generationId: string) {
  const generation = await database.prisma.generation.findUniqueOrThrow({ where: { id: generationId }, include: { outputs: true } });
  expect(generation.status).toBe("succeeded");
  expect(generation.outputs.map((o) => o.variantIndex).sort()).toEqual([0, 1]);
  expect(await database.prisma.asset.count({ where: { shopId, kind: "generated" } })).toBe(2);
  expect(await database.prisma.creditEntry.count({ where: { generationId, kind: "debit" } })).toBe(1);
  expect(await database.prisma.creditEntry.count({ where: { generationId, kind: "refund" } })).toBe(0);
  const job = await database.prisma.job.findUniqueOrThrow({ where: { id: generation.jobId! } });
  expect(job.status).toBe("succeeded");
  expect(job.attempts).toBeGreaterThanOrEqual(2); // it really was picked up again
}

describe("a job survives kill -9", () => {
  it("embedded queue: the app process on PGlite", async () => {
    slowGemini();
    const dataDir = mkdtempSync(path.join(tmpdir(), "lightbox-crash-"));
    try {
      setJobQueue(noDispatch); // the row waits in the database for the app process
      let database = await openDatabase(undefined, dataDir);
      const { shopId, generationId } = await startGeneration(database, dataDir);
      await database.close();

      const env = { ...appEnv(), DATA_DIR: dataDir, PORT: String(await freePort()) };
      const first = startApp([], env);
      await until("the second Gemini call (variant 1 running)", () => fake.imageRequests().length >= 2);
      first.kill("SIGKILL");
      await exited(first);

      const second = startApp([], env);
      await until("the job to run again", () => fake.imageRequests().length >= 3);
      second.kill("SIGTERM"); // graceful: finishes the running job, closes the database
      await exited(second);

      database = await openDatabase(undefined, dataDir);
      try {
        await assertFinishedOnce(database, shopId, generationId);
        expect(fake.imageRequests()).toHaveLength(3); // variant 0 was not made twice
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("BullMQ: a worker process on PostgreSQL and Redis", async (ctx) => {
    const [adminUrl, redisUrl] = await Promise.all([testPostgresAdminUrl(), testRedisUrl()]);
    if (!adminUrl || !redisUrl) return ctx.skip();
    slowGemini();
    const dataDir = mkdtempSync(path.join(tmpdir(), "lightbox-crash-bull-"));
    const pgDb = await createTestDatabase(adminUrl);
    const queueName = `crash-${Date.now()}`;
    const database = await openDatabase(pgDb.url, dataDir);
    const queue = createBullmqQueue(database.prisma, { redisUrl, queueName });
    try {
      setJobQueue(queue);
      const { shopId, generationId } = await startGeneration(database, dataDir);
      const env = { ...appEnv(), DATA_DIR: dataDir, DATABASE_URL: pgDb.url, REDIS_URL: redisUrl, JOB_QUEUE_NAME: queueName };

      const first = startApp(["worker"], env);
      await until("the second Gemini call (variant 1 running)", () => fake.imageRequests().length >= 2);
      first.kill("SIGKILL");
      await exited(first);

      const second = startApp(["worker"], env);
      try {
        await until("the generation to finish", async () => {
          const g = await database.prisma.generation.findUniqueOrThrow({ where: { id: generationId } });
          return g.status === "succeeded" || g.status === "failed";
        });
      } finally {
        second.kill("SIGTERM");
        await exited(second);
      }
      await assertFinishedOnce(database, shopId, generationId);
      expect(fake.imageRequests()).toHaveLength(3);
    } finally {
      await queue.close();
      await dropQueue(queueName);
      await database.close();
      await pgDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
