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
});
