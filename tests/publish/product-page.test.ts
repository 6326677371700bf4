// The product page's route modules, called as App Bridge calls them (session token), against the
// simulator: loader (gallery + Lightbox images + status), publish and revert actions, alt text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import type { ProductPageData } from "~/publish/product-page.server";
import { loader as altTextLoader } from "~/routes/app.products.$productId.alt-text";
import { action, loader } from "~/routes/app.products.$productId";

import { adminRequest, routeArgs, settle } from "../helpers/admin";
import { installShop, makeAsset, productIds, settleJobs, SHOP, simGallery, startHarness, type PublishHarness } from "./support";

let h: PublishHarness;
let shopId: string;
let productId: string;
let numeric: string;

beforeAll(async () => {
  h = await startHarness();
  shopId = (await installShop(h.sim)).id;
  productId = productIds(h.sim)[1]!;
  numeric = productId.split("/").pop()!;
});
afterAll(async () => {
  await h.stop();
});

async function page(id = numeric): Promise<{ status: number; body: ProductPageData & { error?: { detail: string } } }> {
  const response = await settle(loader(routeArgs(await adminRequest(SHOP, `/app/products/${id}`), { productId: id })));
  return { status: response.status, body: await response.json() };
}

async function post(fields: Record<string, string>) {
  const response = await settle(
    action(routeArgs(await adminRequest(SHOP, `/app/products/${numeric}`, { method: "POST", body: new URLSearchParams(fields) }), { productId: numeric })),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { detail: string } } };
}

describe("product page", () => {
  it("GIVEN a product with photos and a Lightbox image THEN the loader shows Shopify's gallery in order and the image, unpublished", async () => {
    const asset = await makeAsset(h.storage, shopId, productId);
    const { status, body } = await page();
    expect(status).toBe(200);
    expect(body.product).toEqual({ id: productId, numericId: numeric, title: "Insulated Water Bottle" });
    const shopify = simGallery(h.sim, productId);
    expect(body.gallery.map((m) => ({ id: m.id, alt: m.alt, status: m.status }))).toEqual(shopify);
    expect(body.gallery.every((m) => m.previewUrl?.startsWith(h.sim.url))).toBe(true);
    expect(body.images).toHaveLength(1);
    expect(body.images[0]).toMatchObject({ assetId: asset.id, kind: "generated", publication: null });
    expect(body.canRevert).toBe(false);
  });

  it("GIVEN the alt text route THEN a suggestion naming the product", async () => {
    const [image] = (await page()).body.images;
    const url = `/app/products/${numeric}/alt-text?assetId=${image!.assetId}&title=${encodeURIComponent("Insulated Water Bottle")}`;
    const response = await settle(altTextLoader(routeArgs(await adminRequest(SHOP, url), { productId: numeric })));
    expect(await response.json()).toEqual({ altText: expect.stringMatching(/^Insulated Water Bottle product photo/) });
  });

  it("WHEN publish is posted THEN a job publishes it, and the page shows it in the gallery marked as Lightbox's", async () => {
    const [image] = (await page()).body.images;
    const items = [{ assetId: image!.assetId, altText: "Bottle on a mossy rock", placement: { kind: "position", position: 0 } }];
    const posted = await post({ intent: "publish", items: JSON.stringify(items) });
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ intent: "publish", queued: 1, alreadyInProgress: 0 });
    expect((await page()).body.counts.queued + (await page()).body.counts.processing).toBeGreaterThan(0);

    await settleJobs(h.queue);
    const { body } = await page();
    expect(body.gallery[0]).toMatchObject({ alt: "Bottle on a mossy rock", status: "READY", fromLightbox: true, position: 0 });
    expect(body.images[0]!.publication).toMatchObject({ status: "ready", onProduct: true, altText: "Bottle on a mossy rock" });
    expect(body.counts.ready).toBe(1);
    expect(body.canRevert).toBe(true);
    expect(body.activity).toMatchObject({ kind: "publish", status: "succeeded" });
  });

  it("WHEN revert is posted THEN the original gallery is back and the page says so", async () => {
    const posted = await post({ intent: "revert" });
    expect(posted.body).toMatchObject({ intent: "revert" });
    await settleJobs(h.queue);
    const { body } = await page();
    expect(body.gallery.some((m) => m.fromLightbox)).toBe(false);
    expect(body.snapshot?.restoredAt).toBeTruthy();
    expect(body.images[0]!.publication).toMatchObject({ status: "reverted", onProduct: false });
    expect(body.activity).toMatchObject({ kind: "revert", status: "succeeded" });
    expect(body.canRevert).toBe(false);
  });

  it("GIVEN bad input THEN errors that say what to fix", async () => {
    expect(await post({ intent: "publish", items: "not json" })).toEqual({
      status: 422,
      body: { error: expect.objectContaining({ detail: "The publish request could not be read. Reload the page and try again." }) },
    });
    const duplicate = [{ assetId: "a" }, { assetId: "a" }];
    expect((await post({ intent: "publish", items: JSON.stringify(duplicate) })).body.error?.detail).toBe("The same image was chosen twice.");
    const unknown = await post({ intent: "publish", items: JSON.stringify([{ assetId: "nope" }]) });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.detail).toMatch(/no longer exists/);
    const badTarget = await post({ intent: "publish", items: JSON.stringify([{ assetId: "x", placement: { kind: "replace", mediaId: "42" } }]) });
    expect(badTarget.body.error?.detail).toBe("Pick one of the product's images to replace.");
    expect((await post({ intent: "revert" })).body.error?.detail).toMatch(/Nothing to revert/);
    expect((await page("999999")).status).toBe(404);
    expect((await page("not-a-number")).status).toBe(404);
    expect(await db.job.count({ where: { status: "failed" } })).toBe(0);
  });
});
