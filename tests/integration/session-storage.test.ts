import { Session } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";

import { appKeyring } from "~/crypto/app-keyring.server";
import { createKeyring, generateKeySpec } from "~/crypto/keyring.server";
import { db } from "~/db.server";
import { EncryptedSessionStorage } from "~/sessions/encrypted-session-storage.server";

import { rawDump } from "../helpers/raw-dump";

const shop = "storage-shop.myshopify.com";

function offlineSession(id = `offline_${shop}`) {
  return new Session({
    id,
    shop,
    state: "state",
    isOnline: false,
    scope: "read_products,write_products",
    expires: new Date(Date.now() + 3_600_000),
    accessToken: "shpat_access_PLAINTEXT_a1b2c3",
    refreshToken: "shprt_refresh_PLAINTEXT_d4e5f6",
    refreshTokenExpires: new Date(Date.now() + 90 * 86_400_000),
  });
}

describe("encrypted session storage", () => {
  it("stores tokens so that a raw dump of the database holds no plaintext token", async () => {
    const storage = new EncryptedSessionStorage(db, appKeyring());
    await storage.storeSession(offlineSession());
    const dump = await rawDump(db);
    expect(dump).toContain(shop);
    expect(dump).not.toContain("PLAINTEXT");
    expect(dump).toMatch(/enc:v1:test1:/);
  });

  it("loads back the exact session, refresh token and expiries included", async () => {
    const storage = new EncryptedSessionStorage(db, appKeyring());
    const original = offlineSession();
    await storage.storeSession(original);
    const loaded = await storage.loadSession(original.id);
    expect(loaded?.accessToken).toBe(original.accessToken);
    expect(loaded?.refreshToken).toBe(original.refreshToken);
    expect(loaded?.expires?.toISOString()).toBe(original.expires?.toISOString());
    expect(loaded?.refreshTokenExpires?.toISOString()).toBe(original.refreshTokenExpires?.toISOString());
    expect((await storage.findSessionsByShop(shop)).map((s) => s.id)).toEqual([original.id]);
  });

  it("GIVEN a session written under key 1 WHEN key 2 is added THEN it still loads, and rewrites use key 2", async () => {
    const k1 = generateKeySpec("k1");
    const k2 = generateKeySpec("k2");
    await new EncryptedSessionStorage(db, createKeyring(k1)).storeSession(offlineSession("offline_rotation"));
    const rotated = new EncryptedSessionStorage(db, createKeyring(`${k2},${k1}`));
    const loaded = await rotated.loadSession("offline_rotation");
    expect(loaded?.accessToken).toBe("shpat_access_PLAINTEXT_a1b2c3");
    await rotated.storeSession(loaded!);
    const row = await db.session.findUniqueOrThrow({ where: { id: "offline_rotation" } });
    expect(row.accessToken).toMatch(/^enc:v1:k2:/);
  });

  it("refuses a token copied from another session's row", async () => {
    const storage = new EncryptedSessionStorage(db, appKeyring());
    await storage.storeSession(offlineSession("offline_a"));
    await storage.storeSession(offlineSession("offline_b"));
    const a = await db.session.findUniqueOrThrow({ where: { id: "offline_a" } });
    await db.session.update({ where: { id: "offline_b" }, data: { accessToken: a.accessToken } });
    await expect(storage.loadSession("offline_b")).rejects.toThrow(/authentication/);
  });

  it("deletes sessions", async () => {
    const storage = new EncryptedSessionStorage(db, appKeyring());
    await storage.storeSession(offlineSession("offline_gone"));
    await storage.deleteSessions(["offline_gone"]);
    expect(await storage.loadSession("offline_gone")).toBeUndefined();
  });
});
