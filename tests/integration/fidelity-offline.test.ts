// The fidelity check without a Gemini key: the offline compositor's results are checked by comparing
// the product area (where the compositor placed it) with the source's cut-out. A result whose
// product area was altered is flagged with reasons; the compositor's own result is not.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { db } from "~/db.server";
import { createGeneration } from "~/generation/create-generation.server";
import { generationView } from "~/generation/generation-view.server";
import { createOfflineProvider } from "~/generation/offline.server";
import type { ImageProvider } from "~/generation/provider";
import { setProviderFactory } from "~/generation/provider-for-shop.server";
import { regenerateFree } from "~/generation/regenerate-free.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { diskStorageConfig, setAppStorage } from "~/storage/from-env.server";
import { createStorage } from "~/storage/index.server";
import type { ObjectStorage } from "~/storage/types";

import { alterProductArea, productOnLightBackground } from "../generation/fixtures";

const queue = createEmbeddedQueue(db, { pollMs: 20, concurrency: 4 });
let root: string;
let storage: ObjectStorage;
let drift: "recolour" | "label" | null = null;

/** The compositor, with its product area altered while `drift` is set (a drifting "model"). */
function driftingCompositor(): ImageProvider {
  const offline = createOfflineProvider();
  return {
    id: offline.id,
    label: offline.label,
    altText: (req) => offline.altText(req),
    checkFidelity: (req) => offline.checkFidelity!(req),
    async generate(req, options) {
      const result = await offline.generate(req, options);
      if (!drift || !result.placement) return result;
      return { ...result, images: [await alterProductArea(result.images[0]!, result.placement, drift)] };
    },
  };
}

async function settle() {
  for (let i = 0; i < 6; i++) {
    await queue.drain();
    const { count } = await db.job.updateMany({ where: { status: "queued", runAt: { gt: new Date() } }, data: { runAt: new Date(Date.now() - 1) } });
    if (count === 0) return;
  }
}

async function shopWithProduct(domain: string) {
  const shop = await db.shop.create({ data: { domain } });
  const photo = await productOnLightBackground();
  const { asset } = await ingestAsset({ db, storage, shopId: shop.id, kind: "upload", bytes: Buffer.from(photo.bytes), filename: "bottle.jpg" });
  return { shop, source: asset };
}

async function generate(shopId: string, sourceId: string) {
  const generation = await createGeneration(db, { shopId, sourceAssetIds: [sourceId], presetId: "marble", aspectRatio: "4:5", resolution: "1K", variants: 1 });
  await settle();
  return generationView(db, storage, shopId, generation.id);
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "lightbox-fidelity-offline-"));
  storage = createStorage({ ...diskStorageConfig(), root });
  setAppStorage(storage);
  setJobQueue(queue);
  setProviderFactory(() => driftingCompositor());
});
afterAll(() => {
  setProviderFactory(undefined);
  rmSync(root, { recursive: true, force: true });
});

describe("fidelity check of the offline compositor's results", () => {
  it("passes the compositor's own result and stores where it placed the product", async () => {
    drift = null;
    const { shop, source } = await shopWithProduct("fid-offline-good.myshopify.com");
    const view = await generate(shop.id, source.id);
    expect(view).toMatchObject({ status: "succeeded", provider: "offline", fidelityPending: false });
    expect(view.outputs[0]!.fidelity).toMatchObject({ outcome: "passed", reasons: [], canRegenerateFree: false });
    expect(view.outputs[0]!.fidelity!.score).toBeGreaterThanOrEqual(90);
    const asset = await db.asset.findUniqueOrThrow({ where: { id: view.outputs[0]!.id } });
    expect((asset.metadata as { placement?: unknown }).placement).toMatchObject({ left: expect.any(Number), width: expect.any(Number) });
    expect(await db.fidelityCheck.findFirst({ where: { assetId: asset.id } })).toMatchObject({ method: "pixels", shopId: shop.id });
  });

  it.each(["recolour", "label"] as const)("flags a result whose product area was altered (%s), with reasons, and regenerates it once free", async (how) => {
    drift = how;
    const { shop, source } = await shopWithProduct(`fid-offline-${how}.myshopify.com`);
    const view = await generate(shop.id, source.id);
    const fidelity = view.outputs[0]!.fidelity!;
    expect(fidelity).toMatchObject({ outcome: "flagged", canRegenerateFree: true });
    expect(fidelity.score).toBeLessThan(70);
    expect(fidelity.reasons.join(" ")).toMatch(how === "recolour" ? /colour differs from the source photo/ : /of the product looks different from the source photo/);

    drift = null;
    const again = await regenerateFree(db, { shopId: shop.id, assetId: view.outputs[0]!.id });
    await settle();
    expect((await generationView(db, storage, shop.id, again.id)).outputs[0]!.fidelity?.outcome).toBe("passed");
    expect(await db.creditEntry.findMany({ where: { shopId: shop.id }, select: { kind: true, amount: true } })).toEqual([{ kind: "debit", amount: 0 }]);
    await expect(regenerateFree(db, { shopId: shop.id, assetId: view.outputs[0]!.id })).rejects.toMatchObject({ status: 409 });
  });
});
