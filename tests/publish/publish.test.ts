// Publishing onto products through the real job queue, the real library's Admin client and the
// local Shopify simulator (which downloads each presigned original over HTTP and processes it).
import { unlinkSync } from "node:fs";
import path from "node:path";

import { adminGraphql } from "@lightbox/shopify-simulator/test-helpers";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { deleteAsset } from "~/assets/delete-asset.server";
import { db } from "~/db.server";
import { publishProduct } from "~/publish/publish-product.server";
import { requestPublish } from "~/publish/request-publish.server";
import { requestRevert } from "~/publish/request-revert.server";
import { snapshotMedia } from "~/publish/snapshot-gallery.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { pacedClient } from "~/shopify-admin/paced-client.server";
import { sessionStorage } from "~/shopify.server";

import { installShop, makeAsset, productIds, settleJobs, SHOP, simGallery, startHarness, type PublishHarness } from "./support";

let h: PublishHarness;
let shopId: string;
let products: string[];

beforeAll(async () => {
  h = await startHarness();
  shopId = (await installShop(h.sim)).id;
  products = productIds(h.sim);
});
afterAll(async () => {
  await h.stop();
});

async function publications(productId: string) {
  return db.publication.findMany({ where: { shopId, productId }, orderBy: { createdAt: "asc" } });
}

describe("publish", () => {
  it("GIVEN a generated image, alt text and 'featured' WHEN published THEN the product's first media is it, READY, with that alt text", async () => {
    const productId = products[0]!;
    const before = simGallery(h.sim, productId);
    const asset = await makeAsset(h.storage, shopId, productId);

    const request = await requestPublish(db, {
      shopId,
      productId,
      items: [{ assetId: asset.id, altText: "Terracotta mug on a marble counter", placement: { kind: "position", position: 0 } }],
    });
    expect(request.queued).toHaveLength(1);
    await settleJobs(h.queue);

    const [publication] = await publications(productId);
    expect(publication).toMatchObject({ status: "ready", errorMessage: null, altText: "Terracotta mug on a marble counter", position: 0 });
    const after = simGallery(h.sim, productId);
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toEqual({ id: publication!.mediaId, alt: "Terracotta mug on a marble counter", status: "READY" });
    expect(after.slice(1).map((m) => m.id)).toEqual(before.map((m) => m.id));

    // The image Shopify holds is the asset's original, fetched from the presigned URL.
    const media = h.sim.shop(SHOP).media.get(Number(publication!.mediaId!.split("/").pop()))!;
    expect(media.originalSource).toContain(`${h.filesUrl}/files/`);
    expect(media.originalSource).toContain("sig=");
    expect(media.image).toMatchObject({ width: asset.width, height: asset.height });

    // The gallery before the first change is kept for revert.
    const snapshot = await db.productSnapshot.findUniqueOrThrow({ where: { shopId_productId: { shopId, productId } } });
    expect(snapshotMedia(snapshot).map(({ id, alt }) => ({ id, alt }))).toEqual(before.map(({ id, alt }) => ({ id, alt })));
    const job = await db.job.findFirstOrThrow({ where: { id: publication!.jobId! } });
    expect(job).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("GIVEN no alt text WHEN published at position 2 THEN the provider's alt text is used and the image lands at index 2", async () => {
    const productId = products[2]!;
    const before = simGallery(h.sim, productId);
    expect(before.length).toBeGreaterThanOrEqual(3);
    const asset = await makeAsset(h.storage, shopId, productId, "upload");
    await requestPublish(db, { shopId, productId, items: [{ assetId: asset.id, placement: { kind: "position", position: 2 } }] });
    await settleJobs(h.queue);

    const [publication] = await publications(productId);
    expect(publication!.status).toBe("ready");
    // The offline provider's template names the product.
    expect(publication!.altText).toMatch(/^Everyday Canvas Sneaker product photo/);
    const after = simGallery(h.sim, productId);
    expect(after[2]).toEqual({ id: publication!.mediaId, alt: publication!.altText, status: "READY" });
    expect(after.filter((m) => m.id !== publication!.mediaId).map((m) => m.id)).toEqual(before.map((m) => m.id));
  });

  it("GIVEN a source URL Shopify cannot fetch WHEN published THEN FAILED with a clear message, and no failed media is left on the product", async () => {
    const productId = products[3]!;
    const before = simGallery(h.sim, productId);
    const asset = await makeAsset(h.storage, shopId, productId);
    unlinkSync(path.join(h.root, asset.originalKey)); // storage lost the original: the presigned URL answers 404

    await requestPublish(db, { shopId, productId, items: [{ assetId: asset.id, altText: "Cotton tee", placement: { kind: "append" } }] });
    await settleJobs(h.queue);

    const [publication] = await publications(productId);
    expect(publication).toMatchObject({ status: "failed", mediaId: null });
    expect(publication!.errorMessage).toBe(
      "Shopify could not download the image from Lightbox. Check that the image is still in your Library, then publish it again.",
    );
    expect(h.sim.state.counters.mediaFailed).toBeGreaterThanOrEqual(1);
    expect(simGallery(h.sim, productId)).toEqual(before);
    // The job itself finished: the failure is the image's, recorded on its publication.
    expect((await db.job.findFirstOrThrow({ where: { id: publication!.jobId! } })).status).toBe("succeeded");
  });

  it("GIVEN an image being published WHEN asked again (double click) THEN nothing is queued twice", async () => {
    const productId = products[4]!;
    const asset = await makeAsset(h.storage, shopId, productId);
    const items = [{ assetId: asset.id, altText: "Backpack", placement: { kind: "append" as const } }];
    const first = await requestPublish(db, { shopId, productId, items });
    const second = await requestPublish(db, { shopId, productId, items });
    expect(first.jobId).not.toBeNull();
    expect(second).toMatchObject({ jobId: null, queued: [], alreadyInProgress: [asset.id] });
    expect(second.publications.map((p) => [p.assetId, p.status, p.jobId])).toEqual([[asset.id, "queued", first.jobId]]);
    await settleJobs(h.queue);
    expect(simGallery(h.sim, productId).filter((m) => m.alt === "Backpack")).toHaveLength(1);
  });
});

describe("a publish job run more than once adds its image once", () => {
  it("GIVEN a finished job WHEN it runs again THEN no second media", async () => {
    const productId = products[5]!;
    const before = simGallery(h.sim, productId).length;
    const asset = await makeAsset(h.storage, shopId, productId);
    const { jobId } = await requestPublish(db, { shopId, productId, items: [{ assetId: asset.id, altText: "Watch on slate", placement: { kind: "append" } }] });
    await settleJobs(h.queue);
    await db.job.update({ where: { id: jobId! }, data: { status: "queued", runAt: new Date() } });
    await settleJobs(h.queue);
    expect(simGallery(h.sim, productId)).toHaveLength(before + 1);
    expect(h.sim.state.graphqlLog.filter((entry) => entry.operationName === "LightboxAddMedia" && JSON.stringify(entry.variables).includes(productId))).toHaveLength(1);
  });

  it("GIVEN a crash right after Shopify took the image (media id never recorded) WHEN the job runs again THEN it finds that media instead of adding another", async () => {
    const productId = products[6]!;
    const before = simGallery(h.sim, productId).length;
    const asset = await makeAsset(h.storage, shopId, productId);
    const { jobId } = await requestPublish(db, { shopId, productId, items: [{ assetId: asset.id, altText: "Candle glow", placement: { kind: "append" } }] });
    await settleJobs(h.queue);
    const [done] = await publications(productId);
    // As if the process died between productUpdate's answer and writing the id down.
    await db.publication.update({ where: { id: done!.id }, data: { status: "processing", mediaId: null } });
    await db.job.update({ where: { id: jobId! }, data: { status: "queued", runAt: new Date() } });
    await settleJobs(h.queue);

    const [again] = await publications(productId);
    expect(again).toMatchObject({ status: "ready", mediaId: done!.mediaId });
    expect(simGallery(h.sim, productId)).toHaveLength(before + 1);
  });

  it("GIVEN the same job handed to two workers at once THEN one media", async () => {
    const productId = products[8]!;
    const before = simGallery(h.sim, productId).length;
    const asset = await makeAsset(h.storage, shopId, productId);
    // Publication rows and a job row, but the queue never sees the job: we run it twice by hand.
    const job = await db.job.create({ data: { type: "publish.product", payload: { productId }, shopId, status: "running" } });
    await db.publication.create({ data: { shopId, productId, assetId: asset.id, altText: "Brass lamp", jobId: job.id } });
    const jobId = job.id;
    const client = pacedClient(SHOP, adminGraphqlFor(SHOP));
    const run = () => publishProduct({ db, storage: h.storage, client, shopId, productId, jobId });
    const results = await Promise.all([run(), run()]);
    expect(results.map((r) => r.ready).sort()).toEqual([0, 1]);
    expect(simGallery(h.sim, productId)).toHaveLength(before + 1);
  });
});

describe("revert", () => {
  it("GIVEN publish, reorder and replace WHEN reverted THEN the gallery equals the snapshot (ids, order, alt) and publications are reverted", async () => {
    const productId = products[9]!;
    const original = simGallery(h.sim, productId);
    expect(original.length).toBe(3);
    const [a, b, c] = await Promise.all([makeAsset(h.storage, shopId, productId), makeAsset(h.storage, shopId, productId), makeAsset(h.storage, shopId, productId)]);

    await requestPublish(db, {
      shopId,
      productId,
      items: [
        { assetId: a.id, altText: "Headphones, studio white", placement: { kind: "position", position: 0 } },
        { assetId: b.id, altText: "Headphones on a desk", placement: { kind: "replace", mediaId: original[1]!.id } },
        { assetId: c.id, altText: "Headphones outdoors", placement: { kind: "append" } },
      ],
    });
    await settleJobs(h.queue);
    const pubs = await publications(productId);
    expect(pubs.map((p) => p.status)).toEqual(["ready", "ready", "ready"]);
    const media = (assetId: string) => pubs.find((p) => p.assetId === assetId)!.mediaId;
    // Featured first; the replaced image's place taken by its replacement; the third appended.
    expect(simGallery(h.sim, productId).map((m) => m.id)).toEqual([media(a.id), original[0]!.id, media(b.id), original[2]!.id, media(c.id)]);

    // The merchant's alt texts were different in Shopify... make sure revert restores them exactly.
    const shop = h.sim.shop(SHOP);
    shop.media.get(Number(original[0]!.id.split("/").pop()))!.alt = "Edited after publishing";

    await requestRevert(db, { shopId, productId });
    await settleJobs(h.queue);

    const snapshot = await db.productSnapshot.findUniqueOrThrow({ where: { shopId_productId: { shopId, productId } } });
    expect(snapshot.restoredAt).not.toBeNull();
    const restored = simGallery(h.sim, productId);
    expect(restored.map(({ id, alt }) => ({ id, alt }))).toEqual(snapshotMedia(snapshot).map(({ id, alt }) => ({ id, alt })));
    expect(restored).toEqual(original);
    expect((await publications(productId)).map((p) => p.status)).toEqual(["reverted", "reverted", "reverted"]);

    // Nothing left to revert; publishing again starts a new snapshot.
    await expect(requestRevert(db, { shopId, productId })).rejects.toThrow(/Nothing to revert/);
    await requestPublish(db, { shopId, productId, items: [{ assetId: a.id, altText: "Again", placement: { kind: "append" } }] });
    await settleJobs(h.queue);
    const fresh = await db.productSnapshot.findUniqueOrThrow({ where: { shopId_productId: { shopId, productId } } });
    expect(fresh.restoredAt).toBeNull();
    expect(snapshotMedia(fresh).map((m) => m.id)).toEqual(original.map((m) => m.id));
    expect(simGallery(h.sim, productId).at(-1)).toMatchObject({ alt: "Again", status: "READY" });
  });

  it("GIVEN the merchant added an image in Shopify after Lightbox's change WHEN reverted THEN Lightbox's images go and the merchant's stays", async () => {
    const productId = products[10]!;
    const original = simGallery(h.sim, productId);
    const asset = await makeAsset(h.storage, shopId, productId);
    await requestPublish(db, { shopId, productId, items: [{ assetId: asset.id, altText: "Sunglasses at the beach", placement: { kind: "position", position: 0 } }] });
    await settleJobs(h.queue);
    // The merchant adds an image of their own in Shopify admin.
    const token = h.sim.issueAccessToken(SHOP, { expiring: false }).access_token;
    const cdnPhoto = `${h.sim.url}${h.sim.shop(SHOP).media.get(Number(original[0]!.id.split("/").pop()))!.image!.path}`;
    const added = await adminGraphql<{ productUpdate: { userErrors: unknown[] } }>(
      h.sim,
      token,
      `mutation M($product: ProductUpdateInput!, $media: [CreateMediaInput!]) { productUpdate(product: $product, media: $media) { userErrors { field message } } }`,
      { product: { id: productId }, media: [{ originalSource: cdnPhoto, alt: "Merchant's own photo", mediaContentType: "IMAGE" }] },
    );
    expect(added.body.data?.productUpdate.userErrors).toEqual([]);
    const mine = simGallery(h.sim, productId).at(-1)!;
    expect(mine.alt).toBe("Merchant's own photo");
    await requestRevert(db, { shopId, productId });
    await settleJobs(h.queue);
    const restored = simGallery(h.sim, productId);
    expect(restored.slice(0, original.length)).toEqual(original);
    expect(restored.slice(original.length).map((m) => m.id)).toEqual([mine.id]);
  });

  it("GIVEN a published image deleted from the library WHEN reverted THEN it still comes off the product (the product page still marks it as Lightbox's)", async () => {
    const productId = products[1]!;
    const original = simGallery(h.sim, productId);
    const asset = await makeAsset(h.storage, shopId, productId);
    await requestPublish(db, { shopId, productId, items: [{ assetId: asset.id, altText: "Lamp on a desk", placement: { kind: "append" } }] });
    await settleJobs(h.queue);
    expect(simGallery(h.sim, productId)).toHaveLength(original.length + 1);
    await deleteAsset(db, h.storage, shopId, asset.id);
    const publication = await db.publication.findFirstOrThrow({ where: { shopId, productId } });
    expect([publication.assetId, publication.mediaId]).toEqual([null, expect.stringMatching(/^gid:\/\/shopify\/MediaImage\//)]);
    await requestRevert(db, { shopId, productId });
    await settleJobs(h.queue);
    expect(simGallery(h.sim, productId)).toEqual(original);
  });

  it("GIVEN an image deleted from the library while queued WHEN the job runs THEN it fails saying so, and nothing reaches the product", async () => {
    const productId = products[0]!; // any product: nothing may reach it
    const original = simGallery(h.sim, productId);
    const asset = await makeAsset(h.storage, shopId, productId);
    const { jobId } = await requestPublish(db, { shopId, productId, items: [{ assetId: asset.id, altText: "Vase", placement: { kind: "append" } }] });
    await deleteAsset(db, h.storage, shopId, asset.id);
    await settleJobs(h.queue);
    const publication = await db.publication.findFirstOrThrow({ where: { shopId, productId, jobId } });
    expect(publication.status).toBe("failed");
    expect(publication.errorMessage).toBe("The image was deleted from your library before it could be published.");
    expect(simGallery(h.sim, productId)).toEqual(original);
  });

  it("GIVEN a product Lightbox never changed WHEN revert is asked THEN a clear refusal", async () => {
    await expect(requestRevert(db, { shopId, productId: products[11]! })).rejects.toThrow(
      "Nothing to revert: the product's gallery is as it was before Lightbox changed it.",
    );
  });
});

describe("a job for a shop whose offline access token expired", () => {
  it("GIVEN an expired expiring token WHEN a publish job runs THEN the library refreshes it (rotating refresh token) and the image is published", async () => {
    const issued = h.sim.issueAccessToken(SHOP, { expiring: true });
    await sessionStorage.storeSession(
      new Session({
        id: `offline_${SHOP}`,
        shop: SHOP,
        state: "installed",
        isOnline: false,
        scope: issued.scope,
        accessToken: issued.access_token,
        expires: new Date(Date.now() - 60_000),
        refreshToken: issued.refresh_token,
        refreshTokenExpires: new Date(Date.now() + 86_400_000),
      }),
    );
    const productId = products[7]!;
    const asset = await makeAsset(h.storage, shopId, productId);
    await requestPublish(db, { shopId, productId, items: [{ assetId: asset.id, altText: "Snake plant by a window", placement: { kind: "append" } }] });
    await settleJobs(h.queue);
    expect((await publications(productId))[0]).toMatchObject({ status: "ready" });
    const session = await sessionStorage.loadSession(`offline_${SHOP}`);
    expect(session?.accessToken).not.toBe(issued.access_token);
    expect(session?.expires?.getTime()).toBeGreaterThan(Date.now());
  });
});
