// The Studio's progress bar while Gemini works (it reports nothing until it answers): time spent
// against how long such an image usually takes this shop.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { getGeneration } from "~/generation/get-generation.server";
import { toGenerationView } from "~/generation/generation-view.server";
import { estimateProgress } from "~/generation/progress-estimate";
import { createStorage } from "~/storage/index.server";
import { diskStorageConfig } from "~/storage/from-env.server";

const root = mkdtempSync(path.join(tmpdir(), "lightbox-progress-"));
const storage = createStorage({ ...diskStorageConfig(), root });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 22, 9, 0, seconds));

describe("estimated progress", () => {
  const running = { status: "running" as const, progress: 0, startedAt: at(0), variants: 1, typicalMsPerImage: 10_000 };

  it("moves with the time spent and counts down the seconds left", () => {
    expect(estimateProgress({ ...running, now: at(0) })).toEqual({ percent: 0, secondsLeft: 10 });
    expect(estimateProgress({ ...running, now: at(4) })).toEqual({ percent: 40, secondsLeft: 6 });
  });

  it("never shows done before it is: at most 95%, then 'longer than usual' instead of a countdown", () => {
    expect(estimateProgress({ ...running, now: at(10) })).toEqual({ percent: 95, secondsLeft: null });
    expect(estimateProgress({ ...running, now: at(59) })).toEqual({ percent: 95, secondsLeft: null });
    expect(estimateProgress({ ...running, status: "succeeded", now: at(12) })).toEqual({ percent: 100, secondsLeft: null });
  });

  it("spreads the estimate over the variants and never goes below what the job recorded", () => {
    expect(estimateProgress({ ...running, variants: 4, now: at(10) })).toEqual({ percent: 25, secondsLeft: 30 });
    expect(estimateProgress({ ...running, variants: 4, progress: 50, now: at(10) })).toEqual({ percent: 50, secondsLeft: 30 });
  });

  it("shows a queued or failed generation as it is", () => {
    expect(estimateProgress({ ...running, status: "queued", startedAt: null, now: at(5) })).toEqual({ percent: 0, secondsLeft: null });
    expect(estimateProgress({ ...running, status: "failed", progress: 0, now: at(5) })).toEqual({ percent: 0, secondsLeft: null });
  });
});

describe("the Studio's view of a running generation", () => {
  it("estimates from how long this shop's recent images of the same model and size took", async () => {
    const shop = await db.shop.create({ data: { domain: "progress.myshopify.com" } });
    const base = {
      shopId: shop.id,
      provider: "gemini",
      model: "gemini-3.1-flash-image",
      prompt: "p",
      aspectRatio: "1:1",
      resolution: "1K",
      sourceAssetIds: [],
      referenceAssetIds: [],
    };
    // Two earlier images took 20 s and 30 s each (one of them in a 2-image run); a 4K one took far longer.
    await db.generation.createMany({
      data: [
        { ...base, status: "succeeded", variants: 1, startedAt: at(0), finishedAt: at(20) },
        { ...base, status: "succeeded", variants: 2, startedAt: at(0), finishedAt: at(60) },
        { ...base, status: "succeeded", variants: 1, resolution: "4K", startedAt: at(0), finishedAt: at(59) },
      ],
    });
    const now = new Date();
    const running = await db.generation.create({
      data: { ...base, status: "running", variants: 1, startedAt: new Date(now.getTime() - 15_000) },
    });
    const view = await toGenerationView(db, storage, await getGeneration(db, shop.id, running.id), now);
    // Median of 20 s and 30 s per image is 30 s (upper middle): 15 s in is 50%, 15 s left.
    expect(view.progress).toBe(50);
    expect(view.secondsLeft).toBe(15);

    // With no history of its own, the shop gets a first guess rather than a bar stuck at 0%.
    const other = await db.shop.create({ data: { domain: "progress-new.myshopify.com" } });
    const fresh = await db.generation.create({
      data: { ...base, shopId: other.id, status: "running", variants: 1, startedAt: new Date(now.getTime() - 3_000) },
    });
    const firstView = await toGenerationView(db, storage, await getGeneration(db, other.id, fresh.id), now);
    expect(firstView.progress).toBeGreaterThan(0);
    expect(firstView.secondsLeft).toBeGreaterThan(0);
  });
});
