// Abuse limits on what costs Lightbox money or capacity without costing the shop: queued jobs per
// shop, and Gemini alt texts on Lightbox's key. (The API's per-shop and per-IP limits are in
// tests/api/rate-limit.test.ts.)
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "lightbox-service-key-abuse-tests";
});

import { configureApi } from "~/api/config.server";
import { ingestAsset } from "~/assets/ingest-asset.server";
import { creditBalance } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { reloadEnv } from "~/env.server";
import { setShopJobLimitForTests } from "~/jobs/shop-job-limit.server";
import { setJobQueue, type JobQueue } from "~/jobs/queue.server";
import { setAltTextLimitForTests } from "~/publish/alt-text-meter.server";
import { suggestAltText } from "~/publish/suggest-alt-text.server";
import { loader as altTextLoader } from "~/routes/app.products.$productId.alt-text";
import { appStorage } from "~/storage/from-env.server";

import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";
import { adminRequest, routeArgs, settle } from "../helpers/admin";
import { call, shopWithToken } from "../api/support/api";
import { fixture, withTempStorage } from "../api/support/storage";

withTempStorage();
const idle: JobQueue = { kind: "embedded", dispatch: async () => undefined, start: async () => undefined, stop: async () => undefined };
let fake: GeminiFake;

beforeAll(async () => {
  fake = await startGeminiFake({ apiKey: "lightbox-service-key-abuse-tests" });
  process.env.GEMINI_BASE_URL = fake.baseUrl;
  reloadEnv();
  setJobQueue(idle); // jobs stay queued: the shop's slots fill up
});
afterAll(async () => {
  setJobQueue(undefined);
  setShopJobLimitForTests(undefined);
  setAltTextLimitForTests(undefined);
  configureApi();
  delete process.env.GEMINI_BASE_URL;
  reloadEnv();
  await fake.stop();
});

async function upload(shopId: string) {
  return (await ingestAsset({ db, storage: appStorage(), shopId, kind: "upload", bytes: fixture("valid-photo.jpg"), filename: "mug.jpg" })).asset;
}

describe("queued jobs per shop", () => {
  it("GIVEN a shop with its limit of jobs waiting THEN the next generation is 429 saying why, debits nothing and writes nothing; other shops go on", async () => {
    setShopJobLimitForTests(2);
    const busy = await shopWithToken("jobs-busy.myshopify.com");
    const source = await upload(busy.shop.id);
    const generate = () =>
      call("/api/v1/generations", { method: "POST", token: busy.plaintext, json: { source_asset_ids: [source.id], preset_id: "white-studio", variants: 1 } });
    expect((await generate()).status).toBe(202);
    expect((await generate()).status).toBe(202);
    const balance = await creditBalance(db, busy.shop.id);

    const refused = await generate();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: "TOO_MANY_JOBS", status: 429 });
    expect(refused.body.detail).toMatch(/already has 2 jobs waiting or running/);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(await creditBalance(db, busy.shop.id)).toBe(balance);
    expect(await db.generation.count({ where: { shopId: busy.shop.id } })).toBe(2);
    expect(await db.job.count({ where: { shopId: busy.shop.id } })).toBe(2);

    // Another shop is not held up by this one.
    const other = await shopWithToken("jobs-other.myshopify.com");
    const otherSource = await upload(other.shop.id);
    expect(
      (await call("/api/v1/generations", { method: "POST", token: other.plaintext, json: { source_asset_ids: [otherSource.id], preset_id: "white-studio", variants: 1 } })).status,
    ).toBe(202);

    // Once one of the shop's jobs has finished, there is room again.
    await db.job.updateMany({ where: { shopId: busy.shop.id }, data: { status: "succeeded", finishedAt: new Date() } });
    expect((await generate()).status).toBe(202);
  });
});

describe("Gemini alt text on Lightbox's key", () => {
  it("GIVEN a shop that used up its hourly alt texts THEN the publish dialog is told to type it or wait, Gemini is not called, and the publish job falls back to the plain template", async () => {
    setAltTextLimitForTests(2);
    const { shop } = await shopWithToken("alt-text-meter.myshopify.com");
    const asset = await upload(shop.id);
    fake.reset();
    const ask = async () =>
      settle(altTextLoader(routeArgs(await adminRequest(shop.domain, `/app/products/1/alt-text?${new URLSearchParams({ assetId: asset.id, title: "Ceramic mug" })}`), { productId: "1" })));

    for (let i = 0; i < 2; i++) {
      const ok = await ask();
      expect(ok.status).toBe(200);
      expect((await ok.json()).altText).toMatch(/\w/);
    }
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.detail).toMatch(/Gemini writes at most 2 alt texts an hour for a shop\. Type the alt text yourself/);
    expect(fake.generateRequests()).toHaveLength(2);

    const fromJob = await suggestAltText(db, appStorage(), { shopId: shop.id, assetId: asset.id, productTitle: "Ceramic mug", overLimit: "offline" });
    expect(fromJob).toMatch(/Ceramic mug/);
    expect(fake.generateRequests()).toHaveLength(2);

    // Another shop has its own hour.
    const other = await shopWithToken("alt-text-other.myshopify.com");
    const otherAsset = await upload(other.shop.id);
    expect((await suggestAltText(db, appStorage(), { shopId: other.shop.id, assetId: otherAsset.id, productTitle: "Vase" })).length).toBeGreaterThan(0);
    expect(fake.generateRequests()).toHaveLength(3);
  });
});
