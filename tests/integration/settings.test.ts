import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { creditBalance } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { action } from "~/routes/app.settings._index";
import { KEPT_ON_DELETE_ALL, SHOP_CONTENT } from "~/shops/delete-shop-content.server";
import { createStorage } from "~/storage/index.server";
import { diskStorageConfig, setAppStorage } from "~/storage/from-env.server";
import type { ObjectStorage } from "~/storage/types";

import { createApiToken } from "~/tokens/create-token.server";

import { call } from "../api/support/api";
import { adminRequest, installShop, routeArgs } from "../helpers/admin";
import { rawDump, rowsMentioning } from "../helpers/raw-dump";

const DOMAIN = "settings-shop.myshopify.com";
let root: string;
let storage: ObjectStorage;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "lightbox-settings-"));
  storage = createStorage({ ...diskStorageConfig(), root });
  setAppStorage(storage);
});
afterAll(() => {
  setAppStorage(undefined);
  rmSync(root, { recursive: true, force: true });
});

function post(fields: Record<string, string>) {
  return adminRequest(DOMAIN, "/app/settings", { method: "POST", body: new URLSearchParams(fields) });
}

describe("Settings", () => {
  it("refuses a malformed Gemini key with a message that says what to fix, and stores nothing", async () => {
    const shop = await installShop(DOMAIN);
    const response = await action(routeArgs(await post({ intent: "save-key", apiKey: "not a key" })));
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { detail: string } }).error.detail).toMatch(/doesn't look like a Gemini API key/);
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).geminiKeyCiphertext).toBeNull();
    expect(await rawDump(db)).not.toContain("not a key");
  });

  it("deletes all of the shop's images, generations and records, keeping it installed with its credits", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: DOMAIN } });
    const { asset } = await ingestAsset({
      db,
      storage,
      shopId: shop.id,
      kind: "upload",
      bytes: readFileSync(path.resolve(__dirname, "../fixtures/images/valid-photo.jpg")),
    });
    await db.generation.create({
      data: { shopId: shop.id, provider: "offline", model: "x", prompt: "p", aspectRatio: "1:1", resolution: "1K", variants: 1, sourceAssetIds: [asset.id], referenceAssetIds: [] },
    });
    const credits = await creditBalance(db, shop.id);

    const response = await action(routeArgs(await post({ intent: "delete-all" })));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { ok: string }).ok).toMatch(/Deleted 2 records and 3 stored files/);
    expect(await db.asset.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await db.generation.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await storage.head(asset.originalKey)).toBeNull();
    expect(await db.session.count({ where: { shop: DOMAIN } })).toBe(1);
    expect(await creditBalance(db, shop.id)).toBe(credits);
  });

  it("GIVEN every kind of record a shop can have THEN delete-all leaves only the shop, its sessions and its ledger, and a cached token stops working at once", async () => {
    const domain = "delete-all-complete.myshopify.com";
    const shop = await installShop(domain);
    const { asset } = await ingestAsset({ db, storage, shopId: shop.id, kind: "upload", bytes: readFileSync(path.resolve(__dirname, "../fixtures/images/valid-photo.jpg")) });
    const generation = await db.generation.create({
      data: { shopId: shop.id, provider: "offline", model: "x", prompt: "p", aspectRatio: "1:1", resolution: "1K", variants: 1, sourceAssetIds: [asset.id], referenceAssetIds: [], webhookUrl: "https://hooks.example.com/x" },
    });
    const { token, plaintext } = await createApiToken(db, { shopId: shop.id, name: "script", scopes: ["read", "write"] });
    await db.apiRequestLog.create({ data: { shopId: shop.id, tokenId: token.id, method: "GET", route: "/api/v1/me", status: 200, durationMs: 1 } });
    await db.idempotencyRecord.create({
      data: { shopId: shop.id, tokenId: token.id, key: "k", method: "POST", route: "/api/v1/assets", requestHash: "h", state: "done", expiresAt: new Date(Date.now() + 3_600_000) },
    });
    await db.job.create({ data: { shopId: shop.id, type: "api.webhook", payload: { generationId: generation.id, shopId: shop.id, event: "generation.succeeded", occurredAt: new Date().toISOString() } } });
    await db.productSnapshot.create({ data: { shopId: shop.id, productId: "gid://shopify/Product/1", media: [] } });
    await db.publication.create({ data: { shopId: shop.id, productId: "gid://shopify/Product/1", assetId: asset.id, altText: "a mug" } });
    await db.productLock.create({ data: { shopId: shop.id, productId: "gid://shopify/Product/1", holder: "w1", leaseUntil: new Date(Date.now() + 60_000) } });
    // The token is in this process's cache (the embedded default caches verified tokens).
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);

    const response = await action(routeArgs(await adminRequest(domain, "/app/settings", { method: "POST", body: new URLSearchParams({ intent: "delete-all" }) })));
    expect(response.status).toBe(200);

    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(401);
    const left = new Set((await rowsMentioning(db, [shop.id, domain])).map((row) => row.split(":")[0]!));
    expect([...left].sort()).toEqual(["CreditEntry", "Session", "Shop"]);
    expect(await storage.head(asset.originalKey)).toBeNull();
  });

  it("every table with a shopId is either deleted by delete-all or kept on purpose", async () => {
    const tables = await db.$queryRaw<Array<{ table: string }>>`
      SELECT table_name::text AS table FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'shopId' ORDER BY 1`;
    const decided = new Set([...SHOP_CONTENT.map((c) => c.table), ...Object.keys(KEPT_ON_DELETE_ALL)]);
    expect(tables.map((t) => t.table).filter((table) => !decided.has(table))).toEqual([]);
  });
});
