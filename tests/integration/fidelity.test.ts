// The fidelity check after a Gemini generation, through the real SDK against the Gemini fake: the
// text model's JSON verdict flags drift with its reasons, a flagged image regenerates once free, and
// Gemini failing during the check never fails or refunds the generation.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "lightbox-service-key-for-tests";
});

import { ingestAsset } from "~/assets/ingest-asset.server";
import { creditBalance, grantCredits } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { createGeneration } from "~/generation/create-generation.server";
import { createGeminiProvider } from "~/generation/gemini.server";
import { generationView } from "~/generation/generation-view.server";
import { DEFAULT_FIDELITY_MODEL } from "~/generation/models";
import { createOfflineProvider } from "~/generation/offline.server";
import { setProviderFactory } from "~/generation/provider-for-shop.server";
import { regenerateFree } from "~/generation/regenerate-free.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { diskStorageConfig, setAppStorage } from "~/storage/from-env.server";
import { createStorage } from "~/storage/index.server";
import type { ObjectStorage } from "~/storage/types";

import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";

const photo = readFileSync(path.resolve(__dirname, "../fixtures/images/valid-photo.jpg"));
const queue = createEmbeddedQueue(db, { pollMs: 20, concurrency: 4 });
let fake: GeminiFake;
let root: string;
let storage: ObjectStorage;

async function shopWithPhoto(domain: string, credits: number) {
  const shop = await db.shop.create({ data: { domain } });
  if (credits) await grantCredits(db, { shopId: shop.id, amount: credits, key: `grant:${shop.id}`, reason: "test" });
  const { asset } = await ingestAsset({ db, storage, shopId: shop.id, kind: "upload", bytes: photo, filename: "bottle.jpg" });
  return { shop, source: asset };
}

/** Runs every job there is, bringing retries (scheduled seconds ahead) forward. */
async function settle() {
  for (let i = 0; i < 6; i++) {
    await queue.drain();
    const { count } = await db.job.updateMany({ where: { status: "queued", runAt: { gt: new Date() } }, data: { runAt: new Date(Date.now() - 1) } });
    if (count === 0) return;
  }
}

const ask = { presetId: "white-studio", aspectRatio: "1:1", resolution: "1K", variants: 1 };

async function generateAndCheck(shopId: string, sourceId: string, extra: Record<string, unknown> = {}) {
  const generation = await createGeneration(db, { shopId, sourceAssetIds: [sourceId], ...ask, ...extra });
  await settle();
  return generationView(db, storage, shopId, generation.id);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "lightbox-fidelity-"));
  storage = createStorage({ ...diskStorageConfig(), root });
  setAppStorage(storage);
  setJobQueue(queue);
  fake = await startGeminiFake({ apiKey: "lightbox-service-key-for-tests" });
  setProviderFactory((apiKey) =>
    apiKey
      ? createGeminiProvider({ apiKey, baseUrl: fake.baseUrl, retryBudgetMs: 1_000, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutMs: 2_000 })
      : createOfflineProvider(),
  );
});
afterAll(async () => {
  await fake.stop();
  setProviderFactory(undefined);
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

describe("fidelity check of Gemini results", () => {
  it("asks the text model for a structured verdict with the source and the result, and a good result is not flagged", async () => {
    const { shop, source } = await shopWithPhoto("fid-good.myshopify.com", 10);
    const view = await generateAndCheck(shop.id, source.id);

    expect(view.status).toBe("succeeded");
    expect(view.fidelityPending).toBe(false);
    expect(view.outputs[0]!.fidelity).toEqual({ outcome: "passed", score: 94, reasons: [], canRegenerateFree: false });

    const [request] = fake.jsonRequests();
    expect(request!.model).toBe(DEFAULT_FIDELITY_MODEL);
    expect(request!.body.generationConfig).toMatchObject({
      responseMimeType: "application/json",
      responseSchema: { type: "OBJECT", required: ["score", "reasons"] },
    });
    const images = (request!.body.contents[0].parts as Array<{ inlineData?: unknown }>).filter((p) => p.inlineData);
    expect(images).toHaveLength(2); // the source photo and the result
    // The check is free to the merchant: only the generation was charged.
    expect(await creditBalance(db, shop.id)).toBe(9);
  });

  it("flags a result the model reports as drifted, with its reasons, in the Studio's view", async () => {
    const { shop, source } = await shopWithPhoto("fid-drift.myshopify.com", 10);
    fake.setFidelity({ score: 41, reasons: ["The label reads LEMON instead of LIME.", "The cap is blue instead of green."] });
    const view = await generateAndCheck(shop.id, source.id);

    expect(view.outputs[0]!.fidelity).toEqual({
      outcome: "flagged",
      score: 41,
      reasons: ["The label reads LEMON instead of LIME.", "The cap is blue instead of green."],
      canRegenerateFree: true,
    });
  });

  it("regenerates a flagged result once, free: the same inputs, no debit, a 0-credit line in the ledger; a second time is refused", async () => {
    const { shop, source } = await shopWithPhoto("fid-free.myshopify.com", 10);
    fake.setFidelity({ score: 30, reasons: ["The logo is missing."] });
    const flagged = await generateAndCheck(shop.id, source.id, { presetId: "marble", aspectRatio: "4:5" });
    const asset = flagged.outputs[0]!;
    expect(await creditBalance(db, shop.id)).toBe(9);

    fake.setFidelity({ score: 92, reasons: [] });
    const again = await regenerateFree(db, { shopId: shop.id, assetId: asset.id });
    expect(again).toMatchObject({ creditsCharged: 0, presetId: "marble", aspectRatio: "4:5", variants: 1, sourceAssetIds: [source.id] });
    await settle();
    const made = await generationView(db, storage, shop.id, again.id);
    expect(made.status).toBe("succeeded");
    expect(made.outputs[0]!.fidelity?.outcome).toBe("passed");

    expect(await creditBalance(db, shop.id)).toBe(9);
    const ledger = await db.creditEntry.findMany({ where: { shopId: shop.id }, orderBy: { createdAt: "asc" } });
    expect(ledger.map((e) => [e.kind, e.amount])).toEqual([
      ["grant", 10],
      ["debit", -1],
      ["debit", 0],
    ]);
    expect(ledger[2]!.reason).toMatch(/Free regenerate: the fidelity check flagged an image \(score 30\)/);

    // The flagged card no longer offers it, and asking again says why.
    expect((await generationView(db, storage, shop.id, flagged.id)).outputs[0]!.fidelity?.canRegenerateFree).toBe(false);
    await expect(regenerateFree(db, { shopId: shop.id, assetId: asset.id })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/already regenerated free once/),
    });
    expect(await db.generation.count({ where: { shopId: shop.id } })).toBe(2);
  });

  it("gives concurrent free regenerates of one image exactly one generation", async () => {
    const { shop, source } = await shopWithPhoto("fid-race.myshopify.com", 10);
    fake.setFidelity({ score: 20, reasons: ["A different bottle."] });
    const flagged = await generateAndCheck(shop.id, source.id);
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => regenerateFree(db, { shopId: shop.id, assetId: flagged.outputs[0]!.id })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(String((r.reason as Error).message)).toMatch(/already regenerated free once/);
    expect(await db.generation.count({ where: { shopId: shop.id } })).toBe(2);
    expect(await db.creditEntry.count({ where: { shopId: shop.id, key: { startsWith: "free-regenerate:" } } })).toBe(1);
    await settle();
  });

  it("refuses a free regenerate of an image that passed, and of another shop's image", async () => {
    const { shop, source } = await shopWithPhoto("fid-refuse.myshopify.com", 10);
    const good = await generateAndCheck(shop.id, source.id);
    await expect(regenerateFree(db, { shopId: shop.id, assetId: good.outputs[0]!.id })).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/Only images the fidelity check flagged/) });

    fake.setFidelity({ score: 10, reasons: ["Wrong product."] });
    const flagged = await generateAndCheck(shop.id, source.id);
    const other = await db.shop.create({ data: { domain: "fid-other.myshopify.com" } });
    await expect(regenerateFree(db, { shopId: other.id, assetId: flagged.outputs[0]!.id })).rejects.toMatchObject({ status: 404 });
    expect(await db.generation.count({ where: { shopId: other.id } })).toBe(0);
  });

  it("never fails or refunds the generation when Gemini errors during the check: 500s until it gives up skip the check", async () => {
    const { shop, source } = await shopWithPhoto("fid-500.myshopify.com", 10);
    // The image call succeeds; every fidelity call after it answers 500.
    fake.next({}, ...Array.from({ length: 400 }, () => ({ status: 500 })));
    const view = await generateAndCheck(shop.id, source.id);
    expect(view.status).toBe("succeeded");
    expect(view.errorMessage).toBeNull();
    expect(view.outputs[0]!.fidelity).toMatchObject({ outcome: "skipped", score: null, canRegenerateFree: false });
    expect(view.fidelityPending).toBe(false);
    expect(await creditBalance(db, shop.id)).toBe(9);
    expect(await db.creditEntry.count({ where: { shopId: shop.id, kind: "refund" } })).toBe(0);
    const job = await db.job.findFirstOrThrow({ where: { shopId: shop.id, type: "generation.fidelity" } });
    expect(job).toMatchObject({ status: "succeeded", attempts: 3 });
  });

  it("retries a 429 during the check and then records the verdict", async () => {
    const { shop, source } = await shopWithPhoto("fid-429.myshopify.com", 10);
    fake.next({}, { status: 429, retryDelay: "0.01s" });
    fake.setFidelity({ score: 55, reasons: ["The bottle is taller."] });
    const view = await generateAndCheck(shop.id, source.id);
    expect(view.status).toBe("succeeded");
    expect(view.outputs[0]!.fidelity).toMatchObject({ outcome: "flagged", score: 55, reasons: ["The bottle is taller."] });
    expect(fake.jsonRequests().map((r) => r.status)).toEqual([429, 200]);
  });

  it("does not check when the shop turned the check off in Settings", async () => {
    const { shop, source } = await shopWithPhoto("fid-off.myshopify.com", 10);
    await db.shop.update({ where: { id: shop.id }, data: { fidelityCheck: false } });
    const view = await generateAndCheck(shop.id, source.id);
    expect(view.outputs[0]!.fidelity).toBeNull();
    expect(view.fidelityPending).toBe(false);
    expect(fake.jsonRequests()).toHaveLength(0);
  });
});
