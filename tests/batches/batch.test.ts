// Catalogue batches end to end through the app's modules: the local Shopify with a catalogue,
// the Gemini fake through the real SDK (credits charged), real PGlite/PostgreSQL, real storage.
import { afterEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "lightbox-service-key-for-tests";
});

import { cancelBatch, resumeBatch } from "~/batches/control-batch.server";
import { approveAllBatchItems, regenerateBatchItem, rejectBatchItem } from "~/batches/review-batch-item.server";
import { batchView } from "~/batches/batch-view.server";
import { creditBalance, grantCredits } from "~/credits/ledger.server";
import { db } from "~/db.server";

import { productIds, simGallery } from "../publish/support";
import { itemStates, ledgerSum, settleBatch, startBatch, startBatchHarness, WHITE_STUDIO, type BatchHarness } from "./support";

let h: BatchHarness | undefined;
afterEach(async () => {
  await h?.stopAll();
  h = undefined;
});

describe("a batch over many products", () => {
  it("GIVEN a balance that covers 7 of 20 products WHEN the batch runs THEN it makes 7, says why it stopped, and cancel charges nothing more", async () => {
    h = await startBatchHarness({ products: 20, credits: 7, gemini: {} });
    const { batch, quote } = await startBatch(h, { selection: { kind: "filter", withoutLightboxImages: false }, settings: WHITE_STUDIO });
    expect(quote).toMatchObject({ products: 20, pricePerProduct: 1, totalCredits: 20, balance: 7, covered: 7, balanceAfter: 0, billing: "credits" });

    await settleBatch(h, batch.id);
    const stopped = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(stopped.status).toBe("paused");
    expect(stopped.stopReason).toMatch(/not enough credits/i);
    expect(stopped.stopReason).toMatch(/Buy credits/);
    expect(await itemStates(batch.id)).toEqual({ review: 7, waiting: 13 });
    expect(await creditBalance(db, h.shopId)).toBe(0);
    expect(await ledgerSum(h.shopId)).toBe(0);
    // Each made product was charged once: 7 debits, no refunds.
    expect(await db.creditEntry.count({ where: { shopId: h.shopId, kind: "debit" } })).toBe(7);

    await cancelBatch(db, h.shopId, batch.id);
    expect(await itemStates(batch.id)).toEqual({ review: 7, cancelled: 13 });
    expect(await ledgerSum(h.shopId)).toBe(await creditBalance(db, h.shopId));
    expect(await db.generation.count({ where: { shopId: h.shopId } })).toBe(7);
  });

  it("GIVEN a paused batch WHEN credits are bought and it is resumed THEN it goes on where it stopped, making each product once", async () => {
    h = await startBatchHarness({ products: 6, credits: 2, gemini: {} });
    const { batch } = await startBatch(h, { selection: { kind: "filter" }, settings: WHITE_STUDIO });
    await settleBatch(h, batch.id);
    expect(await itemStates(batch.id)).toEqual({ review: 2, waiting: 4 });

    await grantCredits(db, { shopId: h.shopId, amount: 10, key: "pack:1", reason: "Credit pack" });
    await resumeBatch(db, h.shopId, batch.id);
    await settleBatch(h, batch.id);
    expect(await itemStates(batch.id)).toEqual({ review: 6 });
    expect((await db.batch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("completed");
    expect(await creditBalance(db, h.shopId)).toBe(6);
    expect(await db.generation.count({ where: { shopId: h.shopId } })).toBe(6);
    expect(await db.asset.count({ where: { shopId: h.shopId, kind: "generated" } })).toBe(6);
  });

  it("GIVEN products being made WHEN the batch is cancelled THEN their credits come back and nothing of theirs is kept", async () => {
    h = await startBatchHarness({ products: 8, credits: 8, gemini: {}, concurrency: 4 });
    h.fake!.next(...Array.from({ length: 8 }, () => ({ latencyMs: 1_500 })));
    const { batch } = await startBatch(h, { selection: { kind: "filter" }, settings: WHITE_STUDIO });
    // Let the first products start and get charged (Gemini takes 1.5 s for each).
    const running = h.queue.drain();
    for (let i = 0; i < 100 && (await db.batchItem.count({ where: { batchId: batch.id, status: "generating" } })) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const charged = 8 - (await creditBalance(db, h.shopId));
    expect(charged).toBeGreaterThan(0);

    await cancelBatch(db, h.shopId, batch.id);
    await running;
    await settleBatch(h, batch.id);
    const states = await itemStates(batch.id);
    expect(states.waiting ?? 0).toBe(0);
    expect((states.cancelled ?? 0) + (states.review ?? 0)).toBe(8);
    // What was made before the cancel reached it is kept and paid; everything else is refunded.
    const made = states.review ?? 0;
    expect(await creditBalance(db, h.shopId)).toBe(8 - made);
    expect(await ledgerSum(h.shopId)).toBe(8 - made);
    expect(await db.asset.count({ where: { shopId: h.shopId, kind: "generated" } })).toBe(made);
  });

  it("GIVEN a batch that publishes automatically as the featured image WHEN it runs THEN every product's first image is its Lightbox image, with alt text", async () => {
    h = await startBatchHarness({ products: 4, credits: 4, gemini: {} });
    const { batch } = await startBatch(h, { selection: { kind: "filter" }, settings: { ...WHITE_STUDIO, onResult: "publish", placement: "featured" } });
    await settleBatch(h, batch.id);
    expect(await itemStates(batch.id)).toEqual({ published: 4 });
    expect((await db.batch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("completed");
    for (const productId of productIds(h.sim, h.domain)) {
      const gallery = simGallery(h.sim, productId, h.domain);
      expect(gallery).toHaveLength(2);
      const publication = await db.publication.findFirstOrThrow({ where: { shopId: h.shopId, productId } });
      expect(gallery[0]!.id).toBe(publication.mediaId);
      expect(gallery[0]!.alt.length).toBeGreaterThan(5);
    }
  });

  it("GIVEN results waiting for review WHEN one is rejected, one regenerated and the rest approved THEN only approved ones reach Shopify and the regenerate is charged once more", async () => {
    h = await startBatchHarness({ products: 4, credits: 10, gemini: {} });
    const { batch } = await startBatch(h, { selection: { kind: "filter" }, settings: WHITE_STUDIO });
    await settleBatch(h, batch.id);
    const view = await batchView(db, h.storage, h.shopId, batch.id);
    expect(view.counts).toMatchObject({ total: 4, review: 4 });
    expect(view.items.every((item) => item.source && item.outputs.length === 1)).toBe(true);
    const [first, second] = view.items;

    await rejectBatchItem(db, h.shopId, batch.id, first!.id);
    await regenerateBatchItem(db, h.shopId, batch.id, second!.id);
    await settleBatch(h, batch.id);
    expect(await creditBalance(db, h.shopId)).toBe(10 - 5);
    const again = await db.batchItem.findUniqueOrThrow({ where: { id: second!.id } });
    expect(again).toMatchObject({ status: "review", attempt: 2 });

    expect(await approveAllBatchItems(db, h.shopId, batch.id)).toBe(3);
    await settleBatch(h, batch.id);
    expect(await itemStates(batch.id)).toEqual({ rejected: 1, published: 3 });
    const rejectedGallery = simGallery(h.sim, first!.productId, h.domain);
    expect(rejectedGallery).toHaveLength(1);
    const regenerated = await db.publication.findFirstOrThrow({ where: { shopId: h.shopId, productId: second!.productId } });
    const outputs = await db.asset.findMany({ where: { generationId: again.generationId! } });
    expect(regenerated.assetId).toBe(outputs[0]!.id);
  });

  it("GIVEN Gemini answering 429 WHEN the batch runs THEN the key slows down, every product is made and no item fails", async () => {
    h = await startBatchHarness({ products: 3, credits: 3, gemini: {} });
    h.fake!.next({ status: 429, retryDelay: "0s" }, { status: 429, retryDelay: "0s" });
    const { batch } = await startBatch(h, { selection: { kind: "filter" }, settings: WHITE_STUDIO });
    await settleBatch(h, batch.id);
    expect(await itemStates(batch.id)).toEqual({ review: 3 });
    expect(await creditBalance(db, h.shopId)).toBe(0);
    expect(await ledgerSum(h.shopId)).toBe(0);
    expect(h.fake!.generateRequests().filter((r) => r.status === 429)).toHaveLength(2);
  });
});
