// With several processes (PostgreSQL + REDIS_URL), a revoke in one process reaches the token
// caches of the others through Redis. Here "another process" revokes the token in the database
// and publishes the invalidation on the channel, as revokeApiToken there would.
import IORedis from "ioredis";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
});

import { cachesEnabled } from "~/cache/hot-cache.server";
import { db } from "~/db.server";
import { deleteShopContent } from "~/shops/delete-shop-content.server";
import { appStorage } from "~/storage/from-env.server";

import { testRedisUrl } from "../helpers/redis";
import { call, shopWithToken } from "./support/api";

const onPostgres = Boolean(process.env.TEST_POSTGRES_URL);
const other = new IORedis(process.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
afterAll(() => other.disconnect());

describe.skipIf(!onPostgres)("token cache across processes (PostgreSQL + Redis)", () => {
  it("GIVEN a cached token WHEN another process revokes it THEN this process refuses it on the next request", async (ctx) => {
    if (!(await testRedisUrl())) return ctx.skip();
    expect(cachesEnabled()).toBe(true);
    const { plaintext, token } = await shopWithToken("hot-redis.myshopify.com");
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200);

    // The other process: its write, then its invalidation message.
    await db.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    expect((await call("/api/v1/me", { token: plaintext })).status).toBe(200); // still cached here
    await other.connect();
    await other.publish("lightbox:api-cache-invalidate", JSON.stringify({ kind: "token", tokenId: token.id }));
    await expect.poll(async () => (await call("/api/v1/me", { token: plaintext })).status, { timeout: 5_000 }).toBe(401);
  });

  it("GIVEN a process that has served no API request yet WHEN a revoke lands on it THEN it still tells the others", async (ctx) => {
    if (!(await testRedisUrl())) return ctx.skip();
    const listener = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    const heard: string[] = [];
    await listener.subscribe("lightbox:api-cache-invalidate");
    listener.on("message", (_channel, message) => heard.push(message));
    try {
      // A fresh copy of the cache module: this "process" has never read a cache.
      vi.resetModules();
      const fresh = await import("~/cache/hot-cache.server");
      await fresh.invalidateToken("tok_from_a_fresh_process");
      await expect.poll(() => heard, { timeout: 5_000 }).toContain(JSON.stringify({ kind: "token", tokenId: "tok_from_a_fresh_process" }));
    } finally {
      listener.disconnect();
    }
  });

  it("GIVEN a shop's data deleted in this process (Settings > Delete all) THEN every other process is told to drop the shop's cached tokens", async (ctx) => {
    if (!(await testRedisUrl())) return ctx.skip();
    const { shop } = await shopWithToken("hot-redis-delete-all.myshopify.com");
    const listener = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    const heard: string[] = [];
    await listener.subscribe("lightbox:api-cache-invalidate");
    listener.on("message", (_channel, message) => heard.push(message));
    try {
      await deleteShopContent(db, appStorage(), shop.id);
      await expect.poll(() => heard, { timeout: 5_000 }).toContain(JSON.stringify({ kind: "shop", shopId: shop.id }));
    } finally {
      listener.disconnect();
    }
  });
});
