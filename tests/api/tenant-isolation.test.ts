// With shop B's token, every endpoint is tried with shop A's ids: each answers 404 (never 403,
// which would confirm the id exists), lists never show A's objects, and nothing of A changes.
// The test walks the real route files, so a new endpoint must be added here or the test fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ApiHandler } from "~/api/route.server";
import { db } from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { setAdminClientFactory } from "~/shopify-admin/admin-for-shop.server";
import { connectAdminClients } from "~/shopify.server";

import { rowsMentioning } from "../helpers/raw-dump";
import { call, multipart, shopWithToken } from "./support/api";
import { loadApiRoutes } from "./support/router";
import { fixture, withTempStorage } from "./support/storage";

const storage = withTempStorage();
const queue = createEmbeddedQueue(db, { pollMs: 20 });

type Ids = { upload: string; generated: string; generation: string; product: string; export: string; batch: string };

/** Bodies for POSTs that take one. */
const BODIES: Record<string, (a: Ids) => unknown> = {
  "/api/v1/assets/:id/refine": () => ({ instruction: "darker background" }),
  "/api/v1/products/:id/publish": (a) => ({ asset_ids: [a.upload, a.generated], featured: true }),
};

/** What each endpoint under a product answers shop B (A's product id is no product of B's). */
const PRODUCT_EXPECT: Record<string, { status: number; code: string }> = {
  "GET /api/v1/products/:id": { status: 404, code: "NOT_FOUND" },
  "POST /api/v1/products/:id/publish": { status: 404, code: "NOT_FOUND" }, // A's asset ids
  "POST /api/v1/products/:id/revert": { status: 404, code: "NOT_FOUND" },
};

/** Shopify for shop B: no products at all (so A's product id is unknown to B). */
const emptyShopify = async (query: string) =>
  Response.json(
    /products\(/.test(query)
      ? { data: { products: { nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } } } }
      : /nodes\(ids/.test(query)
        ? { data: { nodes: [] } }
        : { data: { product: null } },
  );

/** What each collection endpoint is tried with (A's ids inside the query or the body). */
const COLLECTION_PROBES: Record<string, (a: Ids, bSource: string) => Array<{ path: string; init: Parameters<typeof call>[1]; expect: number }>> = {
  "GET /api/v1/assets": (a) => [
    { path: `/api/v1/assets?product_id=${encodeURIComponent(a.product)}`, init: {}, expect: 200 },
    { path: "/api/v1/assets?kind=generated", init: {}, expect: 200 },
  ],
  "POST /api/v1/assets": () => [],
  "GET /api/v1/generations": (a) => [{ path: `/api/v1/generations?product_id=${encodeURIComponent(a.product)}`, init: {}, expect: 200 }],
  "POST /api/v1/generations": (a, bSource) => [
    { path: "/api/v1/generations", init: { method: "POST", json: { source_asset_ids: [a.upload], preset_id: "white-studio" } }, expect: 404 },
    { path: "/api/v1/generations", init: { method: "POST", json: { source_asset_ids: [bSource], reference_asset_ids: [a.generated], preset_id: "white-studio" } }, expect: 404 },
  ],
  "GET /api/v1/me": () => [],
  "GET /api/v1/batches": () => [{ path: "/api/v1/batches", init: {}, expect: 200 }],
  // A's product is no product of B's store: nothing matches, nothing starts.
  "POST /api/v1/batches": (a) => [
    { path: "/api/v1/batches", init: { method: "POST", json: { product_ids: [a.product], preset_id: "white-studio" } }, expect: 422 },
    { path: "/api/v1/batches?dry_run=true", init: { method: "POST", json: { product_ids: [a.product], preset_id: "white-studio" } }, expect: 200 },
  ],
  "POST /api/v1/exports": (a) => [
    { path: "/api/v1/exports", init: { method: "POST", json: { asset_ids: [a.upload] } }, expect: 404 },
    { path: "/api/v1/exports", init: { method: "POST", json: { asset_ids: [a.generated, a.upload] } }, expect: 404 },
  ],
  "GET /api/v1/products": () => [{ path: "/api/v1/products?query=mug", init: {}, expect: 200 }],
  "GET /api/v1/usage": () => [
    { path: "/api/v1/usage", init: {}, expect: 200 },
    { path: "/api/v1/usage?kind=debit", init: {}, expect: 200 },
  ],
};

describe("tenant isolation", () => {
  let a: Ids;
  let aShopId: string;
  let aToken: string;
  let bToken: string;
  let bSource: string;

  beforeAll(async () => {
    setJobQueue(queue);
    setAdminClientFactory(async () => emptyShopify);
    const shopA = await shopWithToken("tenant-a.myshopify.com");
    const shopB = await shopWithToken("tenant-b.myshopify.com");
    aShopId = shopA.shop.id;
    aToken = shopA.plaintext;
    bToken = shopB.plaintext;
    const up = async (token: string, file: string, query = "") => {
      const { body, contentType } = await multipart(fixture(file), file, "image/jpeg");
      return (await call(`/api/v1/assets${query}`, { method: "POST", token, body, headers: { "Content-Type": contentType } })).body.id as string;
    };
    const upload = await up(aToken, "valid-photo.jpg", "?product_id=777");
    bSource = await up(bToken, "grayscale.jpg");
    const created = await call("/api/v1/generations", { method: "POST", token: aToken, json: { source_asset_ids: [upload], preset_id: "white-studio", product_id: "777" } });
    await queue.drain();
    const generated = await db.asset.findFirstOrThrow({ where: { shopId: aShopId, kind: "generated" } });
    const exported = await call("/api/v1/exports", { method: "POST", token: aToken, json: { asset_ids: [upload, generated.id] } });
    await queue.drain();
    // A batch of A's (written as its rows: B's simulated Shopify has no products to start one from).
    const batch = await db.batch.create({
      data: { shopId: aShopId, selection: "1 selected product", presetId: "white-studio", model: "gemini-3.1-flash-image", resolution: "1K", aspectRatio: "1:1", variants: 1, onResult: "review", placement: "append", pricePerItem: 0, provider: "offline", totalItems: 1, origin: "api", status: "paused" },
    });
    await db.batchItem.create({ data: { batchId: batch.id, shopId: aShopId, position: 0, productId: "gid://shopify/Product/777", productTitle: "Mug" } });
    a = { upload, generated: generated.id, generation: created.body.id, product: "gid://shopify/Product/777", export: exported.body.id, batch: batch.id };
    // A has changed product 777 before: a snapshot B's revert must not touch.
    await db.productSnapshot.create({ data: { shopId: aShopId, productId: a.product, media: [{ id: "gid://shopify/MediaImage/1", alt: "", position: 0, mediaContentType: "IMAGE" }] } });
  });
  afterAll(() => {
    setJobQueue(undefined);
    connectAdminClients();
  });

  it("every endpoint with shop A's ids answers 404 to shop B, and A's data is untouched", async () => {
    const before = await rowsMentioning(db, [aShopId], ["ApiRequestLog", "ApiToken"]);
    const objectsBefore = storage.count(`shops/${aShopId}/`);
    expect(objectsBefore).toBeGreaterThan(0);
    const tried: string[] = [];

    for (const route of await loadApiRoutes()) {
      if (route.pattern.endsWith("*") || route.pattern.endsWith(".json")) continue; // catch-all, public document
      for (const exportName of ["loader", "action"] as const) {
        const handler = route.module[exportName] as ApiHandler | undefined;
        if (!handler?.api) continue;
        const { method } = handler.api;
        const signature = `${method} ${route.pattern}`;
        if (!route.pattern.includes(":")) {
          const probes = COLLECTION_PROBES[signature];
          expect(probes, `${signature} is not covered: add it to COLLECTION_PROBES in the tenant isolation test`).toBeDefined();
          for (const probe of probes!(a, bSource)) {
            const response = await call(probe.path, { ...probe.init, token: bToken });
            expect(response.status, `${signature} ${probe.path}`).toBe(probe.expect);
            expect(response.text, `${signature} leaks an id of shop A`).not.toMatch(new RegExp(`${a.upload}|${a.generated}|${a.generation}|${a.export}|${a.batch}`));
            tried.push(`${signature} ${probe.path}`);
          }
          continue;
        }
        const ids = route.pattern.startsWith("/api/v1/assets/:id")
          ? [a.upload, a.generated]
          : route.pattern.startsWith("/api/v1/generations/:id")
            ? [a.generation]
            : route.pattern.startsWith("/api/v1/products/:id")
              ? ["777", encodeURIComponent(a.product)]
              : route.pattern.startsWith("/api/v1/exports/:id")
                ? [a.export]
                : route.pattern.startsWith("/api/v1/batches/:id")
                  ? [a.batch]
                  : null;
        expect(ids, `${signature}: which of shop A's ids fits :id? Add it to the tenant isolation test`).not.toBeNull();
        const expected = route.pattern.startsWith("/api/v1/products/:id") ? PRODUCT_EXPECT[signature] : { status: 404, code: "NOT_FOUND" };
        expect(expected, `${signature}: add it to PRODUCT_EXPECT in the tenant isolation test`).toBeDefined();
        for (const id of ids!) {
          const path = route.pattern.replace(":id", id);
          const body = BODIES[route.pattern]?.(a);
          const response = await call(path, { method, token: bToken, ...(body ? { json: body } : {}) });
          expect(response.status, `${method} ${path} with shop B's token`).toBe(expected!.status);
          expect(response.body.code).toBe(expected!.code);
          expect(response.text, `${signature} leaks an id of shop A`).not.toMatch(new RegExp(`${a.upload}|${a.generated}|${a.generation}|${a.export}|${a.batch}`));
          tried.push(`${method} ${path}`);
        }
      }
    }
    // Lists show B only what is B's.
    const assets = await call("/api/v1/assets", { token: bToken });
    expect(assets.body.data.map((x: { id: string }) => x.id)).toEqual([bSource]);
    expect((await call("/api/v1/generations", { token: bToken })).body.data).toEqual([]);
    expect(await db.publication.count({ where: { shop: { domain: { in: ["tenant-a.myshopify.com", "tenant-b.myshopify.com"] } } } })).toBe(0);
    // A cursor minted for A is refused for B (400), instead of paging from A's row.
    const aPage = await call("/api/v1/assets?limit=1", { token: aToken });
    expect(aPage.body.next_cursor).not.toBeNull();
    const foreignCursor = await call(`/api/v1/assets?cursor=${encodeURIComponent(aPage.body.next_cursor)}`, { token: bToken });
    expect(foreignCursor.status).toBe(400);
    expect((await call("/api/v1/me", { token: bToken })).body.shop.domain).toBe("tenant-b.myshopify.com");

    expect(tried.length).toBeGreaterThanOrEqual(9);
    expect(await rowsMentioning(db, [aShopId], ["ApiRequestLog", "ApiToken"])).toEqual(before);
    expect(storage.count(`shops/${aShopId}/`)).toBe(objectsBefore);
    // And A still sees all of it.
    expect((await call(`/api/v1/assets/${a.upload}`, { token: aToken })).status).toBe(200);
    expect((await call(`/api/v1/generations/${a.generation}`, { token: aToken })).status).toBe(200);
  });
});
