import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "lightbox-service-key-for-tests";
});

import { deleteAsset } from "~/assets/delete-asset.server";
import { ingestAsset } from "~/assets/ingest-asset.server";
import { serveThumbnail, thumbUrl } from "~/assets/thumbnail.server";
import { creditBalance, grantCredits } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { createGeneration, refineGeneration } from "~/generation/create-generation.server";
import { createGeminiProvider } from "~/generation/gemini.server";
import { getGeneration } from "~/generation/get-generation.server";
import { createOfflineProvider } from "~/generation/offline.server";
import { saveOwnGeminiKey } from "~/generation/own-key.server";
import { setProviderFactory } from "~/generation/provider-for-shop.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { createStorage } from "~/storage/index.server";
import { diskStorageConfig, setAppStorage } from "~/storage/from-env.server";

import { rawDump } from "../helpers/raw-dump";
import { startGeminiFake, type GeminiFake } from "../fakes/gemini/server";

const photo = readFileSync(path.resolve(__dirname, "../fixtures/images/valid-photo.jpg"));
const queue = createEmbeddedQueue(db, { pollMs: 20, concurrency: 8 });
let fake: GeminiFake;
let root: string;

async function shopWithPhoto(domain: string, credits: number) {
  const shop = await db.shop.create({ data: { domain } });
  if (credits) await grantCredits(db, { shopId: shop.id, amount: credits, key: `grant:${shop.id}`, reason: "test" });
  const { asset } = await ingestAsset({ db, storage: createStorage({ ...diskStorageConfig(), root }), shopId: shop.id, kind: "upload", bytes: photo, filename: "mug.jpg" });
  return { shop, source: asset };
}

async function ledgerSum(shopId: string) {
  const { _sum } = await db.creditEntry.aggregate({ where: { shopId }, _sum: { amount: true } });
  return _sum.amount ?? 0;
}

async function finish(generationId: string) {
  await queue.drain();
  // Retries are scheduled a few seconds ahead: bring them forward.
  for (let i = 0; i < 5; i++) {
    const g = await db.generation.findUniqueOrThrow({ where: { id: generationId } });
    if (g.status === "succeeded" || g.status === "failed") return getGeneration(db, g.shopId, g.id);
    await db.job.updateMany({ where: { id: g.jobId ?? "", status: "queued" }, data: { runAt: new Date(Date.now() - 1) } });
    await queue.drain();
  }
  throw new Error("generation did not finish");
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "lightbox-gen-"));
  setAppStorage(createStorage({ ...diskStorageConfig(), root }));
  setJobQueue(queue);
  fake = await startGeminiFake({ apiKey: "lightbox-service-key-for-tests" });
  setProviderFactory((apiKey) =>
    apiKey
      ? createGeminiProvider({ apiKey, baseUrl: fake.baseUrl, retryBudgetMs: 3_000, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutMs: 2_000 })
      : createOfflineProvider(),
  );
});
afterAll(async () => {
  await fake.stop();
  setProviderFactory(undefined);
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

const ask = { presetId: "white-studio", aspectRatio: "4:5", resolution: "1K", variants: 1 };

describe("generation through the real Gemini SDK", () => {
  it("stores each output as a generated asset with provenance and metadata, and charges its price", async () => {
    const { shop, source } = await shopWithPhoto("gen-ok.myshopify.com", 10);
    const generation = await createGeneration(db, { shopId: shop.id, sourceAssetIds: [source.id], ...ask, variants: 2 });
    expect(await creditBalance(db, shop.id)).toBe(8);
    const done = await finish(generation.id);
    expect(done.status).toBe("succeeded");
    expect(done.outputs).toHaveLength(2);
    expect(done.outputs.every((a) => a.kind === "generated" && a.generationId === generation.id)).toBe(true);
    expect(done.prompt).toMatch(/Keep the product itself exactly as it appears/);

    const sent = fake.generateRequests()[0]!.body;
    expect(sent.generationConfig.imageConfig).toMatchObject({ aspectRatio: "4:5", imageSize: "1K" });
    expect(sent.contents[0].parts.some((p: { inlineData?: unknown }) => p.inlineData)).toBe(true);

    const meta = done.outputs[0]!.metadata as { provenance: { digitalSourceType: string } };
    expect(meta.provenance.digitalSourceType).toBe("trainedAlgorithmicMedia");
    const exif = spawnSync("exiftool", ["-j", "-XMP-iptcExt:DigitalSourceType", path.join(root, done.outputs[0]!.originalKey)], { encoding: "utf8" });
    if (exif.status === 0) expect(exif.stdout).toContain("trainedAlgorithmicMedia");
    else expect(process.env.CI, "exiftool is required in CI").not.toBe("true");
    expect(await ledgerSum(shop.id)).toBe(8);
  });

  it("shows a generated image as it will be published: at 1K the stamped original is the display image; a 4K one gets a WebP display", async () => {
    const { shop, source } = await shopWithPhoto("gen-display.myshopify.com", 20);
    let small = (await finish((await createGeneration(db, { shopId: shop.id, sourceAssetIds: [source.id], ...ask })).id)).outputs[0]!;
    expect(small.displayKey).toBe(small.originalKey);
    // The job stores the stamped original only; the thumbnail is made on its first request (ADR 0098).
    expect(small.thumbKey).toBe(small.originalKey);
    expect(readdirSync(path.dirname(path.join(root, small.originalKey)))).toEqual([path.basename(small.originalKey)]);
    const shown = readFileSync(path.join(root, small.displayKey));
    expect(shown.includes(Buffer.from("trainedAlgorithmicMedia"))).toBe(true);
    expect((await sharp(shown).metadata()).format).toBe("png");

    // Its first request (the Library's <img>) makes it, stores it and points the row at it.
    const storage = createStorage({ ...diskStorageConfig(), root });
    const lazyUrl = await thumbUrl(storage, small, 3600);
    expect(new URL(lazyUrl).pathname).toBe(`/thumbs/${small.id}`);
    const first = await serveThumbnail(new Request(lazyUrl), { db, storage });
    expect([first.status, first.headers.get("content-type")]).toEqual([200, "image/webp"]);
    const served = Buffer.from(await first.arrayBuffer());
    const thumb = await sharp(served).metadata();
    expect([thumb.format, Math.max(thumb.width, thumb.height)]).toEqual(["webp", 400]);
    expect(served.includes(Buffer.from("trainedAlgorithmicMedia"))).toBe(true);
    small = { ...small, ...(await db.asset.findUniqueOrThrow({ where: { id: small.id } })) };
    expect(small.thumbKey).not.toBe(small.originalKey);
    expect(readFileSync(path.join(root, small.thumbKey)).equals(served)).toBe(true);
    // From then on views link the stored thumbnail; the first link still works.
    expect(new URL(await thumbUrl(storage, small, 3600)).pathname).toBe(`/files/${small.thumbKey}`);
    const again = await serveThumbnail(new Request(lazyUrl), { db, storage });
    expect(Buffer.from(await again.arrayBuffer()).equals(served)).toBe(true);
    // A link that was tampered with or has expired is refused.
    expect((await serveThumbnail(new Request(lazyUrl.replace(small.id, source.id)), { db, storage })).status).toBe(403);
    expect((await serveThumbnail(new Request(lazyUrl), { db, storage, now: Date.now() + 7_200_000 })).status).toBe(403);

    // A refine of it sends the model the shown image with its real type.
    fake.reset();
    await finish((await refineGeneration(db, { shopId: shop.id, assetId: small.id, instruction: "warmer light" })).id);
    const parts = fake.generateRequests()[0]!.body.contents[0].parts as Array<{ inlineData?: { mimeType: string } }>;
    expect(parts.flatMap((p) => (p.inlineData ? [p.inlineData.mimeType] : []))).toEqual(["image/png"]);

    const large = (await finish((await createGeneration(db, { shopId: shop.id, sourceAssetIds: [source.id], ...ask, model: "gemini-3-pro-image", resolution: "4K" })).id)).outputs[0]!;
    expect(large.displayKey).not.toBe(large.originalKey);
    const display = await sharp(readFileSync(path.join(root, large.displayKey))).metadata();
    expect([display.format, Math.max(display.width, display.height)]).toEqual(["webp", 2048]);

    // Deleting removes every object once, the shared one included.
    await deleteAsset(db, createStorage({ ...diskStorageConfig(), root }), shop.id, small.id);
    expect(existsSync(path.join(root, small.originalKey))).toBe(false);
    expect(existsSync(path.join(root, small.thumbKey))).toBe(false);
  });

  const failures: Array<[string, Parameters<GeminiFake["next"]>, RegExp]> = [
    ["a safety block", [{ finishReason: "SAFETY" }], /safety/i],
    ["a prohibited prompt", [{ promptBlocked: "PROHIBITED_CONTENT" }], /prohibited|not allowed|policy/i],
    ["a text-only answer (every attempt)", Array.from({ length: 4 }, () => ({ textOnly: "I can't draw that." })), /text instead of an image/],
    ["an invalid service key", [{ status: 400, reason: "API_KEY_INVALID", message: "API key not valid. Please pass a valid API key." }], /key/i],
    ["503 until the retry budget runs out", Array.from({ length: 200 }, () => ({ status: 503 })), /unavailable|busy|overloaded/i],
  ];
  it.each(failures)("ends failed on %s with a readable message and refunds exactly once", async (_label, behaviours, message) => {
    const { shop, source } = await shopWithPhoto(`gen-fail-${Math.random().toString(36).slice(2, 8)}.myshopify.com`, 5);
    fake.next(...behaviours);
    const generation = await createGeneration(db, { shopId: shop.id, sourceAssetIds: [source.id], ...ask });
    const done = await finish(generation.id);
    expect(done.status).toBe("failed");
    expect(done.errorMessage).toMatch(message);
    expect(done.errorMessage).not.toMatch(/undefined|\[object/);
    expect(done.outputs).toHaveLength(0);
    expect(await creditBalance(db, shop.id)).toBe(5);
    expect(await db.creditEntry.count({ where: { generationId: generation.id, kind: "refund" } })).toBe(1);
    expect(await ledgerSum(shop.id)).toBe(5);
  });

  it("retries a 429 and then succeeds, charging once", async () => {
    const { shop, source } = await shopWithPhoto("gen-429.myshopify.com", 5);
    fake.next({ status: 429, retryAfter: 0, retryDelay: "0s" });
    const generation = await createGeneration(db, { shopId: shop.id, sourceAssetIds: [source.id], ...ask });
    const done = await finish(generation.id);
    expect(done.status).toBe("succeeded");
    expect(fake.imageRequests()).toHaveLength(2);
    expect(await creditBalance(db, shop.id)).toBe(4);
    expect(await db.creditEntry.count({ where: { generationId: generation.id } })).toBe(1);
  });

  it("GIVEN a balance that covers 7 WHEN 20 generations start at once THEN exactly 7 start", async () => {
    const { shop, source } = await shopWithPhoto("gen-race.myshopify.com", 7);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => createGeneration(db, { shopId: shop.id, sourceAssetIds: [source.id], ...ask })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(7);
    expect(await db.generation.count({ where: { shopId: shop.id } })).toBe(7);
    expect(await db.job.count({ where: { shopId: shop.id } })).toBe(7);
    expect(await creditBalance(db, shop.id)).toBe(0);
    expect(await ledgerSum(shop.id)).toBe(0);
  });

  it("refines an output as an edit of it, keeping the chain", async () => {
    const { shop, source } = await shopWithPhoto("gen-refine.myshopify.com", 5);
    const first = await finish((await createGeneration(db, { shopId: shop.id, sourceAssetIds: [source.id], ...ask })).id);
    const output = first.outputs[0]!;
    const refined = await finish((await refineGeneration(db, { shopId: shop.id, assetId: output.id, instruction: "darker background" })).id);
    expect(refined.status).toBe("succeeded");
    expect(refined.parentAssetId).toBe(output.id);
    expect(refined.parentGenerationId).toBe(first.id);
    expect(refined.aspectRatio).toBe("4:5");
    expect(refined.prompt).toContain("darker background");
  });

  it("refuses what it cannot do with a message naming the field, and writes nothing", async () => {
    const { shop, source } = await shopWithPhoto("gen-bad.myshopify.com", 5);
    await expect(createGeneration(db, { shopId: shop.id, sourceAssetIds: [source.id], aspectRatio: "7:3", variants: 9 })).rejects.toThrow(
      /aspectRatio[\s\S]*variants: At most 4 variants/,
    );
    await expect(createGeneration(db, { shopId: shop.id, sourceAssetIds: ["someone-elses"], ...ask })).rejects.toThrow(/not found/);
    await expect(createGeneration(db, { shopId: shop.id, sourceAssetIds: [source.id], ...ask, variants: 4, resolution: "4K", model: "gemini-3-pro-image" })).rejects.toThrow(
      /needs 28 credits but the shop has 5/,
    );
    expect(await db.generation.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await creditBalance(db, shop.id)).toBe(5);
  });
});

describe("bring your own key", () => {
  it("stores the key encrypted (never in plaintext), and generations with it debit nothing", async () => {
    const { shop, source } = await shopWithPhoto("byok.myshopify.com", 3);
    const ownKey = "AIzaSyOWN-KEY-0123456789abcdefghij";
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))),
    );
    await saveOwnGeminiKey(db, shop.id, ownKey, async () => ({ status: "valid" }));
    expect(await rawDump(db)).not.toContain(ownKey);
    const stored = await db.shop.findUniqueOrThrow({ where: { id: shop.id } });
    expect(stored.geminiKeyHint).toBe("ghij");

    const fakeForOwnKey = await startGeminiFake({ apiKey: ownKey });
    setProviderFactory((apiKey) => createGeminiProvider({ apiKey: apiKey!, baseUrl: fakeForOwnKey.baseUrl, retryBudgetMs: 1_000 }));
    try {
      const done = await finish((await createGeneration(db, { shopId: shop.id, sourceAssetIds: [source.id], ...ask, variants: 2 })).id);
      expect(done.status).toBe("succeeded");
      expect(done.usedOwnKey).toBe(true);
      expect(done.creditsCharged).toBe(0);
      expect(await creditBalance(db, shop.id)).toBe(3);
      expect(fakeForOwnKey.generateRequests()[0]!.headers["x-goog-api-key"]).toBe(ownKey);
      expect(logged.join("\n")).not.toContain(ownKey);
    } finally {
      for (const spy of spies) spy.mockRestore();
      await fakeForOwnKey.stop();
      setProviderFactory((apiKey) =>
        apiKey ? createGeminiProvider({ apiKey, baseUrl: fake.baseUrl, retryBudgetMs: 3_000, baseDelayMs: 10, maxDelayMs: 50 }) : createOfflineProvider(),
      );
    }
  });

  it("refuses a key Google rejects, saying so, and stores nothing", async () => {
    const shop = await db.shop.create({ data: { domain: "byok-bad.myshopify.com" } });
    await expect(saveOwnGeminiKey(db, shop.id, "AIzaSyWRONG-0123456789abcdefghij", async () => ({ status: "invalid" }))).rejects.toThrow(
      /Google rejected this API key/,
    );
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).geminiKeyCiphertext).toBeNull();
  });
});
