// Uninstall and shop/redact against work that is already running, and against a reinstall. The
// simulator plays Shopify (tokens revoked on uninstall, honoured again after a reinstall); storage
// is the app's disk backend, with a hook to run the racing upload at the worst moment.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { db } from "~/db.server";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as compliance } from "~/routes/webhooks.compliance";
import { setAppStorage } from "~/storage/from-env.server";
import type { ObjectStorage } from "~/storage/types";
import { createApiToken } from "~/tokens/create-token.server";

import { call } from "../api/support/api";
import { routeArgs } from "../helpers/admin";
import { rowsMentioning } from "../helpers/raw-dump";
import { webhookRequest } from "../helpers/webhooks";
import { installShop, SHOP, startHarness, type PublishHarness } from "../publish/support";

const photo = readFileSync(path.resolve(__dirname, "../fixtures/images/valid-photo.jpg"));
let harness: PublishHarness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.stop();
});
beforeEach(() => {
  setAppStorage(harness.storage);
  harness.sim.reset();
});

/** Files stored for the shop (what R2 would bill for and a dump of the bucket would show). */
function storedFiles(shopId: string): string[] {
  const walk = (dir: string): string[] => {
    try {
      return readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? walk(path.join(dir, name)) : [path.join(dir, name)]));
    } catch {
      return [];
    }
  };
  return walk(path.join(harness.root, "shops", shopId));
}

const uninstall = (webhookId?: string) =>
  uninstalled(routeArgs(webhookRequest("/webhooks/app/uninstalled", { topic: "app/uninstalled", shop: SHOP, ...(webhookId ? { webhookId } : {}) })));
const redact = (webhookId?: string) => compliance(routeArgs(webhookRequest("/webhooks/compliance", { topic: "shop/redact", shop: SHOP, ...(webhookId ? { webhookId } : {}) })));

describe("uninstall racing running work", () => {
  it("GIVEN an upload that writes its files and row while the purge deletes the shop's files THEN nothing is left, and the shop's token was already refused", async () => {
    const shop = await installShop(harness.sim);
    const { plaintext } = await createApiToken(db, { shopId: shop.id, name: "script", scopes: ["read", "write"] });
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);
    const real = harness.storage;
    const during: number[] = [];
    let raced = false;
    // The worst moment: right after the purge listed and deleted the shop's files, an upload that
    // passed its checks earlier stores its three files and its row (the Shop row still exists).
    const racing: ObjectStorage = {
      ...real,
      deletePrefix: async (prefix) => {
        const deleted = await real.deletePrefix(prefix);
        if (!raced) {
          raced = true;
          during.push((await call("/api/v1/me", { token: plaintext })).status);
          await ingestAsset({ db, storage: real, shopId: shop.id, kind: "upload", bytes: photo, filename: "late.jpg" });
        }
        return deleted;
      },
    };
    setAppStorage(racing);

    expect((await uninstall()).status).toBe(200);
    expect(raced).toBe(true);
    expect(during).toEqual([401]); // tokens were unusable before any file was touched
    expect(storedFiles(shop.id)).toEqual([]);
    expect(await rowsMentioning(db, [SHOP, shop.id], ["ComplianceRequest"])).toEqual([]);
  });

  it("GIVEN an upload that stores its files only after the purge finished THEN its row fails and it removes its own files", async () => {
    const shop = await installShop(harness.sim);
    const real = harness.storage;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reachedStorage = false;
    const slow: ObjectStorage = {
      ...real,
      put: async (...args) => {
        reachedStorage = true;
        await gate;
        return real.put(...args);
      },
    };
    const upload = ingestAsset({ db, storage: slow, shopId: shop.id, kind: "upload", bytes: photo }).then(
      () => "stored",
      () => "failed",
    );
    await expect.poll(() => reachedStorage).toBe(true);
    expect((await uninstall()).status).toBe(200);
    release();
    expect(await upload).toBe("failed");
    expect(storedFiles(shop.id)).toEqual([]);
    expect(await db.asset.count({ where: { shopId: shop.id } })).toBe(0);
  });
});

describe("shop/redact, 48 hours after an uninstall", () => {
  it("GIVEN the store installed Lightbox again after its uninstall THEN the redact keeps the new installation (and is recorded)", async () => {
    await installShop(harness.sim);
    await harness.sim.uninstall(SHOP, { notify: false }); // Shopify revokes the tokens ...
    expect((await uninstall()).status).toBe(200); // ... and tells us: everything is purged.
    // The merchant comes back: a new install, a new session, a new upload.
    const again = await installShop(harness.sim);
    const { asset } = await ingestAsset({ db, storage: harness.storage, shopId: again.id, kind: "upload", bytes: photo });

    expect((await redact()).status).toBe(200);
    expect(await db.shop.count({ where: { id: again.id } })).toBe(1);
    expect(await db.session.count({ where: { shop: SHOP } })).toBe(1);
    expect(await db.asset.count({ where: { id: asset.id } })).toBe(1);
    expect(await harness.storage.head(asset.originalKey)).not.toBeNull();
    expect(await db.complianceRequest.count({ where: { shop: SHOP, topic: "SHOP_REDACT" } })).toBe(1);
  });

  it("GIVEN an uninstall whose webhook never reached Lightbox THEN Shopify refusing the old token shows it is gone, and the redact purges", async () => {
    const shop = await installShop(harness.sim);
    await ingestAsset({ db, storage: harness.storage, shopId: shop.id, kind: "upload", bytes: photo });
    await harness.sim.uninstall(SHOP, { notify: false });

    expect((await redact()).status).toBe(200);
    expect(await rowsMentioning(db, [SHOP, shop.id], ["ComplianceRequest"])).toEqual([]);
    expect(storedFiles(shop.id)).toEqual([]);
  });

  it("GIVEN Shopify unavailable while deciding THEN the redact fails (Shopify retries it), nothing is deleted and the delivery is not used up", async () => {
    const shop = await installShop(harness.sim);
    harness.sim.injectAdminFaults(...Array.from({ length: 40 }, () => ({ status: 503 as const })));
    const failed = await redact("wh-redact-unavailable").then(
      (response) => response.status,
      () => 500,
    );
    expect(failed).toBeGreaterThanOrEqual(500); // 503 "Shopify unavailable": Shopify delivers it again
    expect(await db.shop.count({ where: { id: shop.id } })).toBe(1);
    harness.sim.state.adminFaults = [];
    expect((await redact("wh-redact-unavailable")).status).toBe(200); // the retry decides: installed, kept
    expect(await db.shop.count({ where: { id: shop.id } })).toBe(1);
  });
});
