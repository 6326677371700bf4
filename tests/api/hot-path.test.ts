// The API's hot path keeps its promises while it caches and batches (docs/decisions/0008-*):
// a revoke and a credit change are seen by the very next request; log rows written in batches
// all arrive, and a flush on shutdown writes what is pending.
import { afterEach, describe, expect, it } from "vitest";

import { configureApi } from "~/api/config.server";
import { flushRequestLogs } from "~/api/request-log.server";
import { grantCredits } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { purgeShop } from "~/purge/purge-shop.server";
import { appStorage, setAppStorage } from "~/storage/from-env.server";
import { revokeApiToken } from "~/tokens/revoke-token.server";

import { call, shopWithToken } from "./support/api";

afterEach(() => {
  configureApi();
});

describe("API hot path", () => {
  it("GIVEN a token used a moment ago (cached) WHEN it is revoked THEN the next request is refused", async () => {
    const { shop, plaintext, token } = await shopWithToken("hot-revoke.myshopify.com");
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);
    await revokeApiToken(db, shop.id, token.id);
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(401);
  });

  it("GIVEN API requests while the shop's uninstall purge deletes its files THEN they are already refused, and after it too (nothing cached survives it)", async () => {
    const { plaintext } = await shopWithToken("hot-uninstall.myshopify.com");
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);
    const real = appStorage();
    const during: number[] = [];
    // Deleting the shop's objects takes a while on R2; a script keeps calling meanwhile.
    setAppStorage({
      ...real,
      deletePrefix: async (prefix) => {
        during.push((await call("/api/v1/me", { token: plaintext })).status);
        return real.deletePrefix(prefix);
      },
    });
    try {
      await purgeShop(db, "hot-uninstall.myshopify.com");
    } finally {
      setAppStorage(real);
    }
    expect(during).toEqual([401, 401]); // the purge deletes the files twice, both after revoking access
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(401);
  });

  it("shows a credit change on the next request", async () => {
    const { shop, plaintext } = await shopWithToken("hot-credits.myshopify.com");
    const before = (await call("/api/v1/me", { token: plaintext })).body.credits.balance as number;
    await grantCredits(db, { shopId: shop.id, amount: 25, key: `pack:${shop.id}`, reason: "Credit pack" });
    expect((await call("/api/v1/me", { token: plaintext })).body.credits.balance).toBe(before + 25);
  });

  it("writes every request's log row when logging in batches", async () => {
    configureApi({ logFlushMs: 30 });
    const { shop, plaintext } = await shopWithToken("hot-logs.myshopify.com");
    const statuses = await Promise.all(Array.from({ length: 40 }, () => call("/api/v1/me", { token: plaintext }).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await flushRequestLogs();
    expect(await db.apiRequestLog.count({ where: { shopId: shop.id, route: "/api/v1/me" } })).toBe(40);
  });

  it("GIVEN a batch holding a row of a shop purged meanwhile THEN the other shops' rows of that batch are still written", async () => {
    configureApi({ logFlushMs: 60_000 }); // nothing flushes by itself: the test decides when
    const kept = await shopWithToken("hot-logs-kept.myshopify.com");
    const purged = await shopWithToken("hot-logs-purged.myshopify.com");
    for (const { plaintext } of [kept, purged, kept]) expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);
    await purgeShop(db, "hot-logs-purged.myshopify.com"); // its row is still in the buffer
    await flushRequestLogs();
    expect(await db.apiRequestLog.count({ where: { shopId: kept.shop.id } })).toBe(2);
    expect(await db.apiRequestLog.count({ where: { shopId: purged.shop.id } })).toBe(0);
  });
});
