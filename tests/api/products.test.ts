// The product endpoints against the local Shopify simulator, with the real job queue and the
// library's Admin client: list, publish (media READY on the simulated product), revert, scopes,
// idempotent replay, bad bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { PUBLISH_JOB } from "~/publish/jobs";
import { createApiToken } from "~/tokens/create-token.server";

import { installShop, makeAsset, productIds, settleJobs, simGallery, startHarness, type PublishHarness } from "../publish/support";
import { call } from "./support/api";

let h: PublishHarness;
let shopId: string;
let token: string;
let readToken: string;
let products: string[];
const numeric = (gid: string) => gid.split("/").pop()!;

beforeAll(async () => {
  h = await startHarness();
  shopId = (await installShop(h.sim)).id;
  token = (await createApiToken(db, { shopId, name: "products", scopes: ["read", "write"] })).plaintext;
  readToken = (await createApiToken(db, { shopId, name: "reader", scopes: ["read"] })).plaintext;
  products = productIds(h.sim);
});
afterAll(async () => {
  await h?.stop();
});

describe("GET /api/v1/products", () => {
  it("lists the shop's products with image, media count and generated count; cursors page through; query searches", async () => {
    const generatedFor = products[1]!;
    await makeAsset(h.storage, shopId, generatedFor, "generated");

    const seen: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await call(`/api/v1/products${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, { token: readToken });
      expect(res.status).toBe(200);
      seen.push(...res.body.data);
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen.map((p) => p.id).sort()).toEqual([...products].sort());
    const withGenerated = seen.find((p) => p.id === generatedFor)!;
    expect(withGenerated).toMatchObject({ object: "product", numeric_id: numeric(generatedFor), generated_count: 1 });
    expect(withGenerated.media_count).toBe(simGallery(h.sim, generatedFor).length);
    expect(typeof withGenerated.handle).toBe("string");
    expect(seen.some((p) => typeof p.image_url === "string")).toBe(true);

    const title = String(seen[0]!.title);
    const word = title.split(/\s+/)[0]!;
    const found = await call(`/api/v1/products?query=${encodeURIComponent(word)}`, { token: readToken });
    expect(found.status).toBe(200);
    expect(found.body.data.length).toBeGreaterThan(0);
    expect(found.body.data.every((p: { title: string }) => p.title.toLowerCase().includes(word.toLowerCase()))).toBe(true);
  });
});

describe("GET /api/v1/products paging", () => {
  it("passes Shopify's cursors through: 25 products come as 20 + 5, none twice", async () => {
    const domain = "many-products.myshopify.com";
    h.sim.createShop({
      domain,
      products: Array.from({ length: 25 }, (_, i) => ({ title: `Product ${String(i).padStart(2, "0")}`, vendor: "Lightbox", productType: "Test" })),
    });
    const shop = await installShop(h.sim, domain);
    const many = (await createApiToken(db, { shopId: shop.id, name: "pager", scopes: ["read"] })).plaintext;
    const first = await call("/api/v1/products", { token: many });
    expect(first.body.data).toHaveLength(20);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await call(`/api/v1/products?cursor=${encodeURIComponent(first.body.next_cursor)}`, { token: many });
    expect(second.body.data).toHaveLength(5);
    expect(second.body.next_cursor).toBeNull();
    const titles = [...first.body.data, ...second.body.data].map((p: { title: string }) => p.title);
    expect(new Set(titles).size).toBe(25);
    expect(titles).toEqual([...titles].sort());
    // Shop A's token sees none of them.
    const mine = await call("/api/v1/products?query=Product", { token: readToken });
    expect(mine.body.data.filter((p: { title: string }) => /^Product \d\d$/.test(p.title))).toEqual([]);
  });
});

describe("publish and revert", () => {
  it("publishes an image as the featured image (READY in Shopify), replays the same Idempotency-Key, then reverts to the original gallery", async () => {
    const productId = products[0]!;
    const before = simGallery(h.sim, productId);
    const asset = await makeAsset(h.storage, shopId, productId);
    const path = `/api/v1/products/${encodeURIComponent(productId)}/publish`;
    const body = { asset_ids: [asset.id], alt_texts: { [asset.id]: "Terracotta mug on marble" }, featured: true };

    const first = await call(path, { method: "POST", token, json: body, headers: { "Idempotency-Key": "publish-mug-1" } });
    expect(first.status).toBe(202);
    expect(first.headers.get("location")).toBe(`/api/v1/products/${numeric(productId)}`);
    expect(first.body).toMatchObject({ object: "publish_request", product_id: productId, publications: [{ asset_id: asset.id, status: "queued", position: 0 }] });
    expect(first.body.job_id).toEqual(expect.any(String));

    const replay = await call(path, { method: "POST", token, json: body, headers: { "Idempotency-Key": "publish-mug-1" } });
    expect(replay.status).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    expect(await db.job.count({ where: { shopId, type: PUBLISH_JOB } })).toBe(1);
    expect(await db.publication.count({ where: { shopId, productId } })).toBe(1);

    await settleJobs(h.queue);
    const after = simGallery(h.sim, productId);
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({ alt: "Terracotta mug on marble", status: "READY" });
    expect(after.slice(1).map((m) => m.id)).toEqual(before.map((m) => m.id));

    // The product as the product page shows it, by numeric id.
    const detail = await call(`/api/v1/products/${numeric(productId)}`, { token: readToken });
    expect(detail.status).toBe(200);
    expect(detail.body.gallery[0]).toMatchObject({ media_id: after[0]!.id, status: "READY", from_lightbox: true, position: 0 });
    expect(detail.body.images.find((i: { asset_id: string }) => i.asset_id === asset.id).publication).toMatchObject({ status: "ready", on_product: true });
    expect(detail.body).toMatchObject({ publication_counts: { ready: 1 }, can_revert: true, snapshot: { media_count: before.length } });

    const revert = await call(`/api/v1/products/${numeric(productId)}/revert`, { method: "POST", token, headers: { "Idempotency-Key": "revert-mug-1" } });
    expect(revert.status).toBe(202);
    expect(revert.body).toMatchObject({ object: "revert_request", product_id: productId, job_id: expect.any(String) });
    await settleJobs(h.queue);
    expect(simGallery(h.sim, productId).map(({ id, alt }) => ({ id, alt }))).toEqual(before.map(({ id, alt }) => ({ id, alt })));
    expect((await db.publication.findFirstOrThrow({ where: { shopId, productId } })).status).toBe("reverted");

    // Nothing left to revert: 409.
    const again = await call(`/api/v1/products/${numeric(productId)}/revert`, { method: "POST", token });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("CONFLICT");
  });

  it("a read-scoped token gets 403 on publish and revert, and nothing is queued", async () => {
    const productId = products[3]!;
    const asset = await makeAsset(h.storage, shopId, productId);
    const publish = await call(`/api/v1/products/${numeric(productId)}/publish`, { method: "POST", token: readToken, json: { asset_ids: [asset.id] } });
    expect(publish.status).toBe(403);
    expect(publish.body.code).toBe("INSUFFICIENT_SCOPE");
    expect((await call(`/api/v1/products/${numeric(productId)}/revert`, { method: "POST", token: readToken })).status).toBe(403);
    expect(await db.publication.count({ where: { shopId, productId } })).toBe(0);
  });

  it("bad bodies are 422 with field errors; unknown assets 404; malformed product ids 404", async () => {
    const productId = numeric(products[4]!);
    const asset = await makeAsset(h.storage, shopId, products[4]!);
    const cases: Array<[unknown, string]> = [
      [{}, "asset_ids"],
      [{ asset_ids: [] }, "asset_ids"],
      [{ asset_ids: [asset.id], position: -1 }, "position"],
      [{ asset_ids: [asset.id], replace_media_id: "not-a-gid" }, "replace_media_id"],
      [{ asset_ids: [asset.id, asset.id] }, "asset_ids"],
      [{ asset_ids: [asset.id], alt_texts: { other: "x" } }, "alt_texts"],
      [{ asset_ids: [asset.id], alt_texts: { [asset.id]: "x".repeat(513) } }, `alt_texts.${asset.id}`],
      [{ asset_ids: [asset.id], colour: "red" }, "body"],
    ];
    for (const [body, field] of cases) {
      const res = await call(`/api/v1/products/${productId}/publish`, { method: "POST", token, json: body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.code).toBe("UNPROCESSABLE");
      expect(res.body.errors.map((e: { field: string }) => e.field), JSON.stringify(body)).toContain(field);
    }
    const unknown = await call(`/api/v1/products/${productId}/publish`, { method: "POST", token, json: { asset_ids: ["cm0nosuchasset0000000000"] } });
    expect(unknown.status).toBe(404);
    expect((await call("/api/v1/products/not-a-product/publish", { method: "POST", token, json: { asset_ids: [asset.id] } })).status).toBe(404);
    expect((await call("/api/v1/products/999999999", { token })).status).toBe(404);
    expect(await db.publication.count({ where: { shopId, productId: products[4]! } })).toBe(0);
  });
});
