// A 50-product batch whose worker is killed (SIGKILL) mid-way continues after a restart: every
// product ends once (made once, charged once, published once), the ledger adds up to the balance,
// and no product in Shopify has its Lightbox image twice. Embedded (the app process on PGlite)
// and BullMQ (web + worker processes on PostgreSQL and Redis; the worker is killed).
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { catalogueProducts, startSimulator, type RunningSimulator } from "@lightbox/shopify-simulator";
import { freePort } from "@lightbox/shopify-simulator/stack";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

process.env.GEMINI_API_KEY = "batch-crash-service-key";

import { createBatch } from "~/batches/create-batch.server";
import { grantCredits } from "~/credits/ledger.server";
import { createKeyring } from "~/crypto/keyring.server";
import { openDatabase, type Database } from "~/db/open.server";
import { setJobQueue } from "~/jobs/queue.server";
import { EncryptedSessionStorage } from "~/sessions/encrypted-session-storage.server";
import { pacedClient } from "~/shopify-admin/paced-client.server";
import { registerShop } from "~/shops/register-shop.server";

import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";
import { createTestDatabase, testPostgresAdminUrl } from "../helpers/postgres";
import { dropQueue, testRedisUrl } from "../helpers/redis";
import { until } from "../helpers/until";
import { exited, noDispatch, startApp } from "./support/app-child";

const SHOP = "batch-crash.myshopify.com";
const TOKEN = "shpat_batch_crash_token";
const PRODUCTS = 50;
const KEYS = `crash1:${Buffer.alloc(32, 9).toString("base64")}`;
let fake: GeminiFake;
let sim: RunningSimulator;

beforeAll(async () => {
  fake = await startGeminiFake({ apiKey: "batch-crash-service-key" });
});
afterAll(async () => {
  await fake?.stop();
});

async function startShopify() {
  sim = await startSimulator({
    seed: [{ domain: SHOP, products: catalogueProducts(PRODUCTS), accessToken: TOKEN }],
    mediaDelays: { uploadedMs: 20, processingMs: 40 },
    jobDelayMs: 30,
    // A Plus store's bucket: the test is about crashes, not about pacing (bench batch is).
    bucketSize: 10_000,
    restoreRate: 1_000,
  });
}

/** The shop installed in the app's database, and its batch created (jobs wait for the app). */
async function createShopAndBatch(database: Database) {
  const shop = await registerShop(database.prisma, SHOP);
  await database.prisma.creditEntry.deleteMany({ where: { shopId: shop.id } });
  await database.prisma.shop.update({ where: { id: shop.id }, data: { creditBalance: 0 } });
  await grantCredits(database.prisma, { shopId: shop.id, amount: 80, key: "crash-pack", reason: "test" });
  await new EncryptedSessionStorage(database.prisma, createKeyring(KEYS)).storeSession(
    new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, scope: "read_products,write_products", accessToken: TOKEN }),
  );
  const graphql = (query: string, options?: { variables?: Record<string, unknown> }) =>
    fetch(`${sim.url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": TOKEN, "x-shopify-shop-domain": SHOP },
      body: JSON.stringify({ query, variables: options?.variables }),
    });
  setJobQueue(noDispatch);
  const { batch } = await createBatch(database.prisma, pacedClient(SHOP, graphql), shop.id, {
    selection: { kind: "filter" },
    settings: { presetId: "white-studio", aspectRatio: "1:1", resolution: "1K", variants: 1, onResult: "publish", placement: "featured" },
  });
  return { shopId: shop.id, batchId: batch.id };
}

/** The app as this file runs it: on the simulator and the Gemini fake, 8 jobs at a time, unpaced. */
const appEnv = (): Record<string, string> => ({
  SHOPIFY_API_KEY: sim.options.apiKey,
  SHOPIFY_API_SECRET: sim.options.apiSecret,
  SHOPIFY_SIMULATOR_URL: sim.url,
  ENCRYPTION_KEYS: KEYS,
  GEMINI_API_KEY: "batch-crash-service-key",
  GEMINI_BASE_URL: fake.baseUrl,
  GEMINI_IMAGES_PER_MINUTE: "600",
  JOB_CONCURRENCY: "8",
});

async function assertEveryItemOnce(database: Database, shopId: string, batchId: string) {
  const db = database.prisma;
  const batch = await db.batch.findUniqueOrThrow({ where: { id: batchId } });
  expect(batch.status).toBe("completed");
  const items = await db.batchItem.findMany({ where: { batchId } });
  expect(items).toHaveLength(PRODUCTS);
  expect(items.filter((item) => item.status !== "published").map((item) => [item.productTitle, item.status, item.errorMessage])).toEqual([]);
  // Made once: one succeeded generation per product, one generated image per product.
  const made = await db.generation.groupBy({ by: ["batchItemId"], where: { shopId, status: "succeeded" }, _count: { _all: true } });
  expect(made).toHaveLength(PRODUCTS);
  expect(made.every((row) => row._count._all === 1)).toBe(true);
  expect(await db.asset.count({ where: { shopId, kind: "generated" } })).toBe(PRODUCTS);
  // Charged once: what was debited and not refunded is one product's price per product.
  const { _sum } = await db.creditEntry.aggregate({ where: { shopId, kind: { in: ["debit", "refund"] } }, _sum: { amount: true } });
  expect(_sum.amount).toBe(-PRODUCTS);
  const ledger = await db.creditEntry.aggregate({ where: { shopId }, _sum: { amount: true } });
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  expect(ledger._sum.amount).toBe(shop.creditBalance);
  expect(shop.creditBalance).toBe(80 - PRODUCTS);
  // Published once: each product has its photo and exactly one Lightbox image, first.
  const simShop = sim.shop(SHOP);
  for (const product of simShop.products.values()) {
    expect(product.mediaIds).toHaveLength(2);
    const publication = await db.publication.findFirstOrThrow({ where: { shopId, productId: `gid://shopify/Product/${product.id}` } });
    expect(`gid://shopify/MediaImage/${product.mediaIds[0]}`).toBe(publication.mediaId);
  }
}

const published = (database: Database, batchId: string) => database.prisma.batchItem.count({ where: { batchId, status: "published" } });

describe("a batch survives kill -9", () => {
  it("embedded queue: the app process on PGlite", async () => {
    fake.reset();
    fake.next(...Array.from({ length: 200 }, () => ({ latencyMs: 150 })));
    await startShopify();
    const dataDir = mkdtempSync(path.join(tmpdir(), "lightbox-batch-crash-"));
    try {
      let database = await openDatabase(undefined, dataDir);
      const { shopId, batchId } = await createShopAndBatch(database);
      await database.close();

      const port = String(await freePort());
      const env = { ...appEnv(), DATA_DIR: dataDir, PORT: port, SHOPIFY_APP_URL: `http://127.0.0.1:${port}` };
      const first = startApp([], env);
      // PGlite belongs to the app process: watch progress through Shopify (the simulator's state).
      const simShop = sim.shop(SHOP);
      const lightboxImages = () => [...simShop.products.values()].filter((p) => p.mediaIds.length > 1).length;
      const allReady = () =>
        [...simShop.products.values()].every((p) => p.mediaIds.length === 2 && p.mediaIds.every((id) => simShop.media.get(id)?.status === "READY"));
      await until("about a third of the products published", () => lightboxImages() >= 15, 120_000, first.log);
      first.kill("SIGKILL");
      await exited(first);
      const beforeRestart = lightboxImages();
      expect(beforeRestart).toBeLessThan(PRODUCTS);

      const second = startApp([], env);
      // Every product has its image, ready, and it stays so (the last publish jobs have recorded it).
      let steadySince = 0;
      await until(
        "every product published",
        () => {
          if (!allReady()) steadySince = 0;
          else steadySince ||= Date.now();
          return steadySince > 0 && Date.now() - steadySince > 3_000;
        },
        180_000,
        second.log,
      ).catch(async (error: Error) => {
        // What the app's database says was left (PGlite is the app's: stop it first).
        second.kill("SIGKILL");
        await exited(second);
        const after = await openDatabase(undefined, dataDir);
        try {
          const items = await after.prisma.batchItem.groupBy({ by: ["status"], where: { batchId }, _count: { _all: true } });
          const jobs = await after.prisma.job.findMany({ where: { status: { in: ["queued", "running"] } }, select: { type: true, status: true, attempts: true, runAt: true, message: true } });
          throw new Error(`${error.message}\nitems ${JSON.stringify(items)}\nopen jobs ${JSON.stringify(jobs.slice(0, 20))}`);
        } finally {
          await after.close();
        }
      });
      second.kill("SIGTERM");
      await exited(second);

      database = await openDatabase(undefined, dataDir);
      try {
        await assertEveryItemOnce(database, shopId, batchId);
      } finally {
        await database.close();
      }
    } finally {
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 400_000);

  it("BullMQ: web and worker processes on PostgreSQL and Redis; the worker is killed", async (ctx) => {
    const [adminUrl, redisUrl] = await Promise.all([testPostgresAdminUrl(), testRedisUrl()]);
    if (!adminUrl || !redisUrl) return ctx.skip();
    fake.reset();
    fake.next(...Array.from({ length: 200 }, () => ({ latencyMs: 150 })));
    await startShopify();
    const dataDir = mkdtempSync(path.join(tmpdir(), "lightbox-batch-crash-bull-"));
    const pgDb = await createTestDatabase(adminUrl);
    const database = await openDatabase(pgDb.url, dataDir);
    const children: ChildProcess[] = [];
    const queueName = `batch-crash-${Date.now()}`;
    try {
      const { shopId, batchId } = await createShopAndBatch(database);
      const port = String(await freePort());
      const env = {
        ...appEnv(),
        DATA_DIR: dataDir,
        DATABASE_URL: pgDb.url,
        REDIS_URL: redisUrl,
        JOB_QUEUE_NAME: queueName,
        PORT: port,
        SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      };
      // The web process serves the images Shopify downloads; the worker runs the jobs.
      const web = startApp([], env);
      children.push(web);
      await until("the web process", async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true, 60_000, web.log);
      const first = startApp(["worker"], env);
      children.push(first);
      await until("about a third of the products published", async () => (await published(database, batchId)) >= 15, 120_000, first.log);
      first.kill("SIGKILL");
      await exited(first);
      expect(await published(database, batchId)).toBeLessThan(PRODUCTS);

      const second = startApp(["worker"], env);
      children.push(second);
      await until("the batch to complete", async () => (await database.prisma.batch.findUniqueOrThrow({ where: { id: batchId } })).status === "completed", 180_000, second.log);
      await assertEveryItemOnce(database, shopId, batchId);
    } finally {
      for (const child of children) {
        child.kill("SIGTERM");
        await exited(child);
      }
      await dropQueue(queueName);
      await database.close();
      await pgDb.drop();
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 400_000);
});
