// Batches run the app's real modules against the local Shopify (a catalogue of N products with one
// photo each) and, when asked, the Gemini fake through the real SDK (credits are then charged).
import { catalogueProducts } from "@lightbox/shopify-simulator";

import { createBatch } from "~/batches/create-batch.server";
import type { BatchInput } from "~/batches/batch-input";
import { grantCredits } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { createGeminiProvider } from "~/generation/gemini.server";
import { createOfflineProvider } from "~/generation/offline.server";
import { setGeminiPace } from "~/generation/pace.server";
import { setProviderFactory } from "~/generation/provider-for-shop.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { pacedClient } from "~/shopify-admin/paced-client.server";

import { startGeminiFake, type GeminiFake, type GeminiFakeOptions } from "../fakes/gemini/server";
import { installShop, startHarness, type PublishHarness } from "../publish/support";

export const SERVICE_KEY = "lightbox-service-key-for-tests";

export type BatchHarness = PublishHarness & { shopId: string; domain: string; fake: GeminiFake | null; stopAll(): Promise<void> };

let shops = 0;

export async function startBatchHarness(options: {
  products: number;
  credits?: number;
  /** Generate through the Gemini fake (charged in credits); default: the offline compositor. */
  gemini?: GeminiFakeOptions | false;
  concurrency?: number;
  extraShops?: Array<{ domain: string; products: number }>;
}): Promise<BatchHarness> {
  // A shop of its own per harness: rows of an earlier test's shop (same file, same database) would
  // point at objects in that test's storage.
  const domain = `batch-shop-${process.pid}-${++shops}.myshopify.com`;
  const seed = [{ domain, products: catalogueProducts(options.products) }, ...(options.extraShops ?? []).map((s) => ({ domain: s.domain, products: catalogueProducts(s.products) }))];
  const harness = await startHarness({ seed }, { concurrency: options.concurrency ?? 4 });

  // Each test starts with the key's whole per-minute quota.
  setGeminiPace(undefined);
  const fake = options.gemini ? await startGeminiFake({ apiKey: SERVICE_KEY, ...options.gemini }) : null;
  setProviderFactory((apiKey) =>
    apiKey && fake
      ? createGeminiProvider({ apiKey, baseUrl: fake.baseUrl, retryBudgetMs: 2_000, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutMs: 5_000 })
      : createOfflineProvider(),
  );
  const shop = await installShop(harness.sim, domain);
  if (options.credits !== undefined) {
    // The trial grant is replaced by exactly what the test says.
    await db.creditEntry.deleteMany({ where: { shopId: shop.id } });
    await db.shop.update({ where: { id: shop.id }, data: { creditBalance: 0 } });
    if (options.credits > 0) await grantCredits(db, { shopId: shop.id, amount: options.credits, key: `test:${shop.id}`, reason: "test" });
  }
  return {
    ...harness,
    shopId: shop.id,
    domain,
    fake,
    async stopAll() {
      setProviderFactory(undefined);
      await fake?.stop();
      await harness.stop();
    },
  };
}

export function startBatch(h: BatchHarness, input: BatchInput, shopDomain = h.domain, shopId = h.shopId) {
  return createBatch(db, pacedClient(shopDomain, adminGraphqlFor(shopDomain)), shopId, input);
}

export async function ledgerSum(shopId: string): Promise<number> {
  const { _sum } = await db.creditEntry.aggregate({ where: { shopId }, _sum: { amount: true } });
  return _sum.amount ?? 0;
}

export async function itemStates(batchId: string): Promise<Record<string, number>> {
  const rows = await db.batchItem.groupBy({ by: ["status"], where: { batchId }, _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
}

/** Runs jobs until the batch has nothing in flight (retries brought forward); fails after `timeoutMs`. */
export async function settleBatch(h: BatchHarness, batchId: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await h.queue.drain();
    await db.job.updateMany({ where: { status: "queued", runAt: { gt: new Date() } }, data: { runAt: new Date(Date.now() - 1) } });
    const open = await db.batchItem.count({ where: { batchId, status: { in: ["starting", "generating", "publishing"] } } });
    const batch = await db.batch.findUniqueOrThrow({ where: { id: batchId } });
    const waiting = await db.batchItem.count({ where: { batchId, status: "waiting" } });
    const queued = await db.job.count({ where: { status: { in: ["queued", "running"] } } });
    if (open === 0 && (batch.status !== "running" || waiting === 0) && queued === 0) return;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} did not settle: ${JSON.stringify(await itemStates(batchId))}, ${queued} jobs open`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const WHITE_STUDIO = { presetId: "white-studio", aspectRatio: "1:1", resolution: "1K", variants: 1 } as const;
