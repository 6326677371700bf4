// The backend of Lightbox's admin UI extensions (/api/extensions/*): the bulk action's preview and
// start, the product details action's status. Called as Shopify's extension host calls them: from
// another origin, with the ID token the simulator mints (signed with the app's secret, like
// Shopify's), against the local Shopify, real PGlite/PostgreSQL and the Gemini fake (credits).
import { APP_URL } from "@shopify/shopify-api/test-helpers";
import { afterEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "lightbox-service-key-for-tests";
});

import { db } from "~/db.server";
import { action as startAction, loader as startLoader } from "~/routes/api.extensions.batches";
import { action as previewAction, loader as previewLoader } from "~/routes/api.extensions.batches.preview";
import { loader as productLoader } from "~/routes/api.extensions.products.$productId";

import { settle } from "../helpers/admin";
import { settleBatch, startBatchHarness, type BatchHarness } from "../batches/support";

const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

let h: BatchHarness | undefined;
afterEach(async () => {
  await h?.stopAll();
  h = undefined;
});

type ErrorBody = { error: { status: number; title: string; detail: string; code: string; fieldErrors?: Record<string, string> } };

function extensionRequest(path: string, init: { method?: string; body?: unknown; token?: string | null; rawBody?: string } = {}): Request {
  const headers = new Headers({ Origin: EXTENSION_ORIGIN });
  const token = init.token === undefined ? h!.sim.mintIdToken(h!.domain) : init.token;
  if (token) headers.set("Authorization", `Bearer ${token}`);
  if (init.body !== undefined || init.rawBody !== undefined) headers.set("Content-Type", "application/json");
  return new Request(`${APP_URL}${path}`, {
    method: init.method ?? "POST",
    headers,
    body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
}

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
const call = (route: typeof previewAction, request: Request, params?: Record<string, string>) => settle(route(args(request, params)));

async function selectedIds(count: number): Promise<string[]> {
  const products = [...h!.sim.shop(h!.domain).products.values()].slice(0, count);
  return products.map((product) => `gid://shopify/Product/${product.id}`);
}

describe("POST /api/extensions/batches/preview", () => {
  it("GIVEN 5 selected products and a valid ID token THEN the cost preview comes back with CORS headers, presets, and nothing is written", async () => {
    h = await startBatchHarness({ products: 8, credits: 20 });
    const productIds = await selectedIds(5);
    const response = await call(previewAction, extensionRequest("/api/extensions/batches/preview", { body: { productIds } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = (await response.json()) as { selection: string; quote: Record<string, unknown>; settings: unknown; presets: Array<{ id: string; name: string }> };
    expect(body.selection).toBe("5 selected products");
    expect(body.quote).toMatchObject({ matched: 5, withoutPhoto: 0, products: 5, imagesPerProduct: 1, pricePerProduct: 1, totalCredits: 5, balance: 20, covered: 5, balanceAfter: 15, billing: "credits" });
    expect(body.settings).toEqual({ presetId: "white-studio", onResult: "review" });
    expect(body.presets.map((preset) => preset.id)).toContain("marble");
    expect(await db.batch.count({ where: { shopId: h.shopId } })).toBe(0);
  });

  it("GIVEN no token, a forged token, or an expired one THEN 401 with a message the extension shows, and CORS headers so it can read it", async () => {
    h = await startBatchHarness({ products: 2 });
    const productIds = await selectedIds(1);
    const forged = h.sim.mintIdToken(h.domain).replace(/\.[^.]+$/, ".c2lnbmVkLWJ5LXNvbWVvbmUtZWxzZQ");
    h.sim.advanceClock(-10 * 60_000);
    const expired = h.sim.mintIdToken(h.domain);
    h.sim.advanceClock(10 * 60_000);
    for (const token of [null, forged, expired, "not-a-jwt"]) {
      const response = await call(previewAction, extensionRequest("/api/extensions/batches/preview", { body: { productIds }, token }));
      expect(response.status, String(token)).toBe(401);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(((await response.json()) as ErrorBody).error).toMatchObject({ code: "UNAUTHENTICATED", detail: expect.stringMatching(/open the action again/) });
    }
    expect(await db.batch.count({ where: { shopId: h.shopId } })).toBe(0);
  });

  it("GIVEN the browser's CORS preflight (Remix hands OPTIONS to the loader) THEN 204 allowing the Authorization and Content-Type headers from any origin", async () => {
    h = await startBatchHarness({ products: 1 });
    for (const [route, path] of [
      [previewLoader, "/api/extensions/batches/preview"],
      [startLoader, "/api/extensions/batches"],
      [productLoader, "/api/extensions/products/1"],
    ] as const) {
      const request = new Request(`${APP_URL}${path}`, {
        method: "OPTIONS",
        headers: { Origin: EXTENSION_ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type" },
      });
      const response = await call(route, request);
      expect(response.status, path).toBe(204);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
      expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/Content-Type/);
    }
    // A GET to a POST endpoint: 405 naming the method, still readable cross-origin.
    const get = await call(previewLoader, extensionRequest("/api/extensions/batches/preview", { method: "GET" }));
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
    expect(get.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("GIVEN a body that is not JSON or has the wrong shape THEN 400 naming the field; GIVEN an unknown preset or no products THEN 422 naming it", async () => {
    h = await startBatchHarness({ products: 2 });
    const productIds = await selectedIds(1);
    const preview = (init: { body?: unknown; rawBody?: string }) => call(previewAction, extensionRequest("/api/extensions/batches/preview", init));

    const notJson = await preview({ rawBody: "productIds=1" });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).error.detail).toMatch(/JSON body/);

    const wrongShape = await preview({ body: { productIds: "gid://shopify/Product/1", onResult: "later" } });
    expect(wrongShape.status).toBe(400);
    expect(((await wrongShape.json()) as ErrorBody).error.fieldErrors).toEqual({
      productIds: "Send the selected products as productIds: [...]",
      onResult: 'Use "review" (approve results first) or "publish" (publish as they come)',
    });

    const unknownPreset = await preview({ body: { productIds, presetId: "moon-base" } });
    expect(unknownPreset.status).toBe(422);
    expect(((await unknownPreset.json()) as ErrorBody).error.fieldErrors).toEqual({ "settings.presetId": "Unknown style preset" });

    const none = await preview({ body: { productIds: [] } });
    expect(none.status).toBe(422);
    expect(((await none.json()) as ErrorBody).error.fieldErrors).toEqual({ "selection.productIds": "Choose at least one product" });

    const badId = await preview({ body: { productIds: ["gid://shopify/Order/1"] } });
    expect(badId.status).toBe(422);
    expect(((await badId.json()) as ErrorBody).error.detail).toMatch(/selection\.productIds\.0: Use product GIDs/);
  });
});

describe("POST /api/extensions/batches", () => {
  it("GIVEN 5 selected products THEN the batch starts from the bulk action, 201 with its review page, and its results wait for review", async () => {
    h = await startBatchHarness({ products: 8, credits: 20 });
    const productIds = await selectedIds(5);
    const response = await call(startAction, extensionRequest("/api/extensions/batches", { body: { productIds, presetId: "marble", onResult: "review" } }));
    expect(response.status).toBe(201);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = (await response.json()) as { batch: { id: string; totalItems: number }; reviewPath: string };
    expect(body.batch.totalItems).toBe(5);
    expect(body.reviewPath).toBe(`/app/batches/${body.batch.id}`);
    const batch = await db.batch.findUniqueOrThrow({ where: { id: body.batch.id }, include: { items: true } });
    expect(batch).toMatchObject({ shopId: h.shopId, origin: "bulk_action", presetId: "marble", onResult: "review", selection: "5 selected products" });
    expect(batch.items.map((item) => item.productId).sort()).toEqual([...productIds].sort());

    await settleBatch(h, batch.id);
    expect(await db.batchItem.count({ where: { batchId: batch.id, status: "review" } })).toBe(5);

    // The product details action then shows the product's result waiting for review.
    const status = await call(productLoader, extensionRequest(`/api/extensions/products/${encodeURIComponent(productIds[0]!)}`, { method: "GET" }), {
      productId: productIds[0]!,
    });
    expect(status.status).toBe(200);
    expect(status.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await status.json()).toEqual({
      productId: productIds[0],
      generated: 1,
      published: 0,
      publishing: 0,
      failed: 0,
      inReview: 1,
      studioPath: `/app/studio?productId=${encodeURIComponent(productIds[0]!)}`,
    });
  });

  it("GIVEN a shop with no credits THEN 402 saying what to do, and no batch, item or charge is written", async () => {
    h = await startBatchHarness({ products: 3, credits: 0 });
    const response = await call(startAction, extensionRequest("/api/extensions/batches", { body: { productIds: await selectedIds(3) } }));
    expect(response.status).toBe(402);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const { error } = (await response.json()) as ErrorBody;
    expect(error).toMatchObject({ code: "INSUFFICIENT_CREDITS", title: "Not enough credits" });
    expect(error.detail).toMatch(/^This needs 1 credit but the shop has 0\. Buy a credit pack/);
    expect(await db.batch.count({ where: { shopId: h.shopId } })).toBe(0);
    expect(await db.batchItem.count({ where: { shopId: h.shopId } })).toBe(0);
    expect(await db.creditEntry.count({ where: { shopId: h.shopId } })).toBe(0);
  });

  it("GIVEN another shop's token THEN the selection is looked up in that shop's store only: none of these products is found", async () => {
    const other = "extension-other-shop.myshopify.com";
    h = await startBatchHarness({ products: 2, extraShops: [{ domain: other, products: 1 }] });
    const { installShop } = await import("../publish/support");
    await installShop(h.sim, other);
    const mine = await selectedIds(2);
    const response = await call(previewAction, extensionRequest("/api/extensions/batches/preview", { body: { productIds: mine }, token: h.sim.mintIdToken(other) }));
    expect(response.status).toBe(200);
    const { quote } = (await response.json()) as { quote: { matched: number; products: number } };
    // Product ids are global in the simulator (as on Shopify): the other store has none of these.
    expect(quote).toMatchObject({ matched: 0, products: 0 });
  });
});

describe("GET /api/extensions/products/:productId", () => {
  it("GIVEN a product Lightbox has not touched THEN zeros and the Studio path; GIVEN a bad id THEN 400 naming productId", async () => {
    h = await startBatchHarness({ products: 1 });
    const [productId] = await selectedIds(1);
    const numeric = productId!.split("/").pop()!;
    const response = await call(productLoader, extensionRequest(`/api/extensions/products/${numeric}`, { method: "GET" }), { productId: numeric });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ productId, generated: 0, published: 0, inReview: 0, studioPath: `/app/studio?productId=${encodeURIComponent(productId!)}` });

    const bad = await call(productLoader, extensionRequest("/api/extensions/products/mug", { method: "GET" }), { productId: "mug" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.fieldErrors).toEqual({ productId: "Not a product id" });
  });
});
