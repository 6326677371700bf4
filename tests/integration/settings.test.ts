import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { creditBalance } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { action } from "~/routes/app.settings._index";
import { createStorage } from "~/storage/index.server";
import { diskStorageConfig, setAppStorage } from "~/storage/from-env.server";
import type { ObjectStorage } from "~/storage/types";

import { adminRequest, installShop, routeArgs } from "../helpers/admin";
import { rawDump } from "../helpers/raw-dump";

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
});
