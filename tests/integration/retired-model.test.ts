// A model Google retired: Gemini answers 404 NOT_FOUND for it (the fake answers exactly what the
// real API does). The generation fails once, readably, naming the model and what to pick instead,
// is refunded exactly once, and from then on this process stops offering the model: the Studio's
// picker, a new generation and the API refuse it with the offered list.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "lightbox-service-key-retired-model";
  process.env.GEMINI_MODELS = "gemini-3.5-flash-image,gemini-3.1-flash-image,gemini-3-pro-image";
  process.env.GEMINI_DEFAULT_MODEL = "gemini-3.5-flash-image";
});

import { ingestAsset } from "~/assets/ingest-asset.server";
import { creditBalance } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { createGeneration, refineGeneration } from "~/generation/create-generation.server";
import { createGeminiProvider } from "~/generation/gemini.server";
import { getGeneration } from "~/generation/get-generation.server";
import { forgetRetiredModels, modelLineup } from "~/generation/lineup.server";
import { createOfflineProvider } from "~/generation/offline.server";
import { setProviderFactory } from "~/generation/provider-for-shop.server";
import { studioData } from "~/generation/studio.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import type { PacedClient } from "~/shopify-admin/paced-client.server";
import { appStorage } from "~/storage/from-env.server";

import { call, shopWithToken } from "../api/support/api";
import { fixture, withTempStorage } from "../api/support/storage";
import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";

withTempStorage();
const queue = createEmbeddedQueue(db, { pollMs: 20, concurrency: 4 });
let fake: GeminiFake;
/** Studio data without a product never asks Shopify. */
const noShopify = {} as PacedClient;

async function finish(generationId: string) {
  for (let i = 0; i < 6; i++) {
    await queue.drain();
    const g = await db.generation.findUniqueOrThrow({ where: { id: generationId } });
    if (g.status === "succeeded" || g.status === "failed") return getGeneration(db, g.shopId, g.id);
    await db.job.updateMany({ where: { status: "queued" }, data: { runAt: new Date(Date.now() - 1) } });
  }
  throw new Error("generation did not finish");
}

/** An installed shop (its 10 trial credits), an API token and an uploaded photo. */
async function shopWithPhoto(domain: string) {
  const made = await shopWithToken(domain);
  const { asset } = await ingestAsset({ db, storage: appStorage(), shopId: made.shop.id, kind: "upload", bytes: fixture("valid-photo.jpg"), filename: "mug.jpg" });
  return { shopId: made.shop.id, token: made.plaintext, sourceId: asset.id };
}

beforeAll(async () => {
  setJobQueue(queue);
  fake = await startGeminiFake({ apiKey: "lightbox-service-key-retired-model" });
  setProviderFactory((apiKey) =>
    apiKey ? createGeminiProvider({ apiKey, baseUrl: fake.baseUrl, retryBudgetMs: 3_000, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutMs: 5_000 }) : createOfflineProvider(),
  );
});
afterAll(async () => {
  await fake.stop();
  setProviderFactory(undefined);
  setJobQueue(undefined);
});
beforeEach(() => {
  fake.reset();
  forgetRetiredModels();
});

describe("a model Google retired", () => {
  it("GIVEN Gemini answers 404 NOT_FOUND for the chosen model THEN the generation fails once, naming the model and the default to pick, refunded exactly once", async () => {
    const { shopId, sourceId } = await shopWithPhoto("retired-model.myshopify.com");
    // Offered when the merchant picked it; Google shuts it down before the job runs.
    expect((await studioData(db, appStorage(), noShopify, { shopId })).models.map((m) => m.id)).toContain("gemini-3.1-flash-image");
    fake.retire("gemini-3.1-flash-image");

    const started = await createGeneration(db, { shopId, sourceAssetIds: [sourceId], presetId: "white-studio", model: "gemini-3.1-flash-image", variants: 2 });
    expect(await creditBalance(db, shopId)).toBe(8);
    const done = await finish(started.id);

    expect(done.status).toBe("failed");
    expect(done.errorCode).toBe("MODEL_NOT_FOUND");
    expect(done.errorMessage).toBe(
      "Gemini no longer offers the model gemini-3.1-flash-image (Google has retired it), so nothing was made and the credits were refunded. " +
        "Pick Gemini 3.5 Flash Image (gemini-3.5-flash-image) instead (offered: gemini-3.5-flash-image, gemini-3-pro-image).",
    );
    // One request, the real 404 envelope, and no retry (a 404 is not transient).
    const sent = fake.generateRequests();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.status).toBe(404);
    // The ledger: one debit of 2, one refund of 2, nothing else.
    const entries = await db.creditEntry.findMany({ where: { shopId, generationId: started.id }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([
      ["debit", -2],
      ["refund", 2],
    ]);
    expect(await creditBalance(db, shopId)).toBe(10);

    // The job delivered again (a crashed worker's lease) changes nothing: still one refund.
    await queue.drain();
    expect(await db.creditEntry.count({ where: { shopId, generationId: started.id, kind: "refund" } })).toBe(1);
  });

  it("THEN this process stops offering it: the Studio's picker, a new generation, a refine and the API refuse it with the offered models", async () => {
    const { shopId, sourceId, token } = await shopWithPhoto("retired-model-after.myshopify.com");
    fake.retire("gemini-3.1-flash-image");
    const first = await createGeneration(db, { shopId, sourceAssetIds: [sourceId], presetId: "white-studio", model: "gemini-3.1-flash-image", variants: 1 });
    await finish(first.id);

    expect(modelLineup().retired).toEqual(["gemini-3.1-flash-image"]);
    const studio = await studioData(db, appStorage(), noShopify, { shopId });
    expect(studio.models.map((m) => m.id)).toEqual(["gemini-3.5-flash-image", "gemini-3-pro-image"]);
    // GEMINI_PREMIUM_MODEL unset and Pro offered: Pro is the premium model, and the picker says so.
    expect(studio.models.map((m) => m.label)).toEqual(["Gemini 3.5 Flash Image", "Gemini 3 Pro Image (premium)"]);
    expect(studio.generations[0]!.errorMessage).toMatch(/no longer offers the model gemini-3\.1-flash-image/);

    await expect(createGeneration(db, { shopId, sourceAssetIds: [sourceId], presetId: "white-studio", model: "gemini-3.1-flash-image" })).rejects.toMatchObject({
      status: 422,
      message: "Gemini 3.1 Flash Image (gemini-3.1-flash-image) is no longer available: Google has retired it. Pick Gemini 3.5 Flash Image (gemini-3.5-flash-image) instead (offered: gemini-3.5-flash-image, gemini-3-pro-image).",
      fieldErrors: { model: expect.stringMatching(/no longer available/) },
    });

    const api = await call("/api/v1/generations", { method: "POST", token, json: { source_asset_ids: [sourceId], preset_id: "white-studio", model: "gemini-3.1-flash-image" } });
    expect(api.status).toBe(422);
    expect(api.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(api.body.detail).toMatch(/gemini-3\.1-flash-image\) is no longer available: Google has retired it\. Pick .*gemini-3\.5-flash-image/);
    const unknown = await call("/api/v1/generations", { method: "POST", token, json: { source_asset_ids: [sourceId], preset_id: "white-studio", model: "gemini-9-ultra-image" } });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body)).toMatch(/Use one of gemini-3\.5-flash-image, gemini-3-pro-image/);
    expect(await creditBalance(db, shopId)).toBe(10);

    // Without a model the default is used; a refine of an image from a retired model uses it too.
    const fresh = await createGeneration(db, { shopId, sourceAssetIds: [sourceId], presetId: "white-studio" });
    expect(fresh.model).toBe("gemini-3.5-flash-image");
    const made = await finish(fresh.id);
    await db.generation.update({ where: { id: fresh.id }, data: { model: "gemini-3.1-flash-image" } });
    const refined = await refineGeneration(db, { shopId, assetId: made.outputs[0]!.id, instruction: "darker background" });
    expect(refined.model).toBe("gemini-3.5-flash-image");

    // A restart offers it again (the set is per process).
    forgetRetiredModels();
    expect(modelLineup().offered).toContain("gemini-3.1-flash-image");
  });

  it("GIVEN the 404 reached another process (a BullMQ worker) THEN this one retires the model when it shows the failure, unless the failure predates it", async () => {
    const { shopId, sourceId, token } = await shopWithPhoto("retired-model-worker.myshopify.com");
    const failed = (finishedAt: Date) =>
      db.generation.create({
        data: {
          shopId,
          status: "failed",
          provider: "gemini",
          model: "gemini-3.1-flash-image",
          prompt: "p",
          presetId: "white-studio",
          aspectRatio: "1:1",
          resolution: "1K",
          variants: 1,
          sourceAssetIds: [sourceId],
          errorCode: "MODEL_NOT_FOUND",
          errorMessage: "Gemini no longer offers the model gemini-3.1-flash-image (Google has retired it), so nothing was made.",
          finishedAt,
        },
      });
    // Before this process started (an earlier run): shown, and the model stays offered.
    const old = await failed(new Date(Date.now() - 86_400_000));
    expect((await call(`/api/v1/generations/${old.id}`, { token })).body.error.code).toBe("MODEL_NOT_FOUND");
    expect((await studioData(db, appStorage(), noShopify, { shopId })).models.map((m) => m.id)).toContain("gemini-3.1-flash-image");

    // Written by a worker just now: the API's read (or the Studio's) retires it in this process.
    const recent = await failed(new Date());
    expect((await call(`/api/v1/generations/${recent.id}`, { token })).status).toBe(200);
    expect(modelLineup().retired).toEqual(["gemini-3.1-flash-image"]);
    expect((await studioData(db, appStorage(), noShopify, { shopId })).models.map((m) => m.id)).toEqual(["gemini-3.5-flash-image", "gemini-3-pro-image"]);
    expect(fake.generateRequests()).toHaveLength(0);
  });
});
