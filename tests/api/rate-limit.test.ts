import { randomUUID } from "node:crypto";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { configureApi } from "~/api/config.server";
import { createMemoryRateLimiter, createRedisRateLimiter, decide, type RateLimiter } from "~/api/rate-limit.server";
import { db } from "~/db.server";
import { createApiToken } from "~/tokens/create-token.server";
import { generateToken } from "~/tokens/format";

import { testRedisUrl } from "../helpers/redis";
import { call, shopWithToken } from "./support/api";

const rule = { limit: 3, windowMs: 10_000 };

describe("sliding window arithmetic", () => {
  it("weights the previous window by how much of it still overlaps", () => {
    // Previous window had 10 of 10; a quarter into this one, 7.5 still count: 2 more fit.
    expect(decide({ previous: 10, current: 0 }, 2_500, { limit: 10, windowMs: 10_000 })).toMatchObject({ allowed: true, remaining: 1 });
    expect(decide({ previous: 10, current: 2 }, 2_500, { limit: 10, windowMs: 10_000 })).toMatchObject({ allowed: false, remaining: 0 });
  });

  it("Retry-After is the time until one more request fits", () => {
    // 10 in the previous window, 2 now, 25% in: 9.5 used. Room for one at 7.5 + 2 + 1 <= 10, i.e. when
    // the previous weight has fallen to 0.7 (30% into the window): 0.5 s from now -> 1 s.
    expect(decide({ previous: 10, current: 2 }, 2_500, { limit: 10, windowMs: 10_000 }).retryAfterSeconds).toBe(1);
    // Everything in the current window: wait for the next one, then for its weight to fall.
    expect(decide({ previous: 0, current: 10 }, 2_000, { limit: 10, windowMs: 10_000 }).retryAfterSeconds).toBe(9);
  });
});

const limiters: Array<[string, () => Promise<{ make: () => RateLimiter } | null>]> = [
  ["memory", async () => ({ make: (() => { const one = createMemoryRateLimiter(); return () => one; })() })],
  [
    "redis",
    async () => {
      const url = await testRedisUrl();
      if (!url) return null;
      const prefix = `lightbox-test:${randomUUID()}:`;
      return { make: () => createRedisRateLimiter({ redisUrl: url, keyPrefix: prefix }) };
    },
  ],
];

describe.each(limiters)("%s rate limiter", (name, setup) => {
  let backend: { make: () => RateLimiter } | null;
  const opened: RateLimiter[] = [];
  beforeAll(async () => {
    backend = await setup();
  });
  afterAll(async () => {
    await Promise.all(opened.map((l) => l.close?.()));
  });
  const limiter = () => {
    const l = backend!.make();
    opened.push(l);
    return l;
  };

  it("allows the limit, refuses the next with Retry-After, allows again after the window slides", async (ctx) => {
    if (!backend) return ctx.skip();
    const l = limiter();
    const key = `token-${randomUUID()}`;
    const t0 = Math.ceil(Date.now() / rule.windowMs) * rule.windowMs + 1_000; // 1 s into a window
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await l.hit(key, rule, t0 + i));
    expect(seen.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(seen.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(seen[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(9);
    expect(seen[0]!.resetSeconds).toBe(9);
    // At the start of the next window the previous 3 still weigh fully; 2 s in, 3 × 0.8 = 2.4 (+1 > 3).
    expect((await l.hit(key, rule, t0 + 9_000)).allowed).toBe(false);
    expect((await l.hit(key, rule, t0 + 11_000)).allowed).toBe(false);
    // 4.5 s in, 3 × 0.55 = 1.65: one more fits. (Refused requests were not counted.)
    expect((await l.hit(key, rule, t0 + 13_500)).allowed).toBe(true);
    // Two windows later, everything is forgotten.
    expect((await l.hit(key, rule, t0 + 30_000)).remaining).toBe(2);
    // Keys are independent.
    expect((await l.hit(`other-${randomUUID()}`, rule, t0)).allowed).toBe(true);
  });

  it(name === "redis" ? "holds across processes (two clients share the count)" : "is shared by every request of this process", async (ctx) => {
    if (!backend) return ctx.skip();
    const [a, b] = [limiter(), limiter()];
    const key = `token-${randomUUID()}`;
    const t0 = Math.ceil(Date.now() / rule.windowMs) * rule.windowMs + 100;
    const results = await Promise.all([a.hit(key, rule, t0), b.hit(key, rule, t0), a.hit(key, rule, t0), b.hit(key, rule, t0), a.hit(key, rule, t0)]);
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
  });
});

describe.each(limiters)("API rate limit (%s)", (_name, setup) => {
  let backend: { make: () => RateLimiter } | null;
  let limiter: RateLimiter | undefined;
  let shopId: string;
  let token: string;
  beforeAll(async () => {
    backend = await setup();
    if (!backend) return;
    limiter = backend.make();
    const made = await shopWithToken(`rate-${_name}.myshopify.com`, ["read"]);
    shopId = made.shop.id;
    token = made.plaintext;
  });
  afterEach(() => void configureApi());
  afterAll(async () => {
    configureApi();
    await limiter?.close?.();
  });

  it("answers 429 with Retry-After and RateLimit headers once a token is over its limit", async (ctx) => {
    if (!backend) return ctx.skip();
    configureApi({ rateLimit: { limit: 2, windowMs: 60_000 }, rateLimiter: limiter });
    const first = await call("/api/v1/me", { token });
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-limit")).toBe("2");
    expect(first.headers.get("ratelimit-remaining")).toBe("1");
    expect(Number(first.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    expect(first.headers.get("ratelimit-policy")).toBe("2;w=60");
    expect((await call("/api/v1/me", { token })).headers.get("ratelimit-remaining")).toBe("0");

    const refused = await call("/api/v1/me", { token });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(120);
    expect(refused.body).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    expect(refused.body.detail).toMatch(/2 requests per 60 seconds/);
    expect(await db.apiRequestLog.count({ where: { shopId, status: 429 } })).toBe(1);

    // Another token of the same shop has its own budget.
    const other = await createApiToken(db, { shopId, name: "other", scopes: ["read"] });
    expect((await call("/api/v1/me", { token: other.plaintext })).status).toBe(200);
  });

  it("GIVEN a shop's tokens together over the shop's limit THEN the next request is 429 whichever token sends it; other shops are unaffected", async (ctx) => {
    if (!backend) return ctx.skip();
    configureApi({ shopRateLimit: { limit: 4, windowMs: 60_000 }, rateLimiter: limiter });
    const made = await shopWithToken(`rate-shop-${_name}.myshopify.com`, ["read"]);
    const tokens = [made.plaintext];
    for (const name of ["second", "third"]) tokens.push((await createApiToken(db, { shopId: made.shop.id, name, scopes: ["read"] })).plaintext);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await call("/api/v1/me", { token: tokens[i % 3] })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const refused = await call("/api/v1/me", { token: tokens[2] });
    expect(refused.body.detail).toMatch(/This shop's tokens together may make 4 requests per 60 seconds/);
    expect(refused.headers.get("ratelimit-limit")).toBe("4");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another shop has its own budget.
    expect((await call("/api/v1/me", { token })).status).toBe(200);
  });

  it("GIVEN an address that keeps sending bad or revoked tokens THEN it is refused before any lookup, and the log stops growing", async (ctx) => {
    if (!backend) return ctx.skip();
    configureApi({ authFailureLimit: { limit: 3, windowMs: 60_000 }, rateLimiter: limiter });
    const made = await shopWithToken(`rate-ip-${_name}.myshopify.com`, ["read"]);
    await db.apiToken.update({ where: { id: made.token.id }, data: { revokedAt: new Date() } });
    const from = (address: string) => ({ "X-Forwarded-For": address });
    const attacker = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await call("/api/v1/me", { token: made.plaintext, headers: from(attacker) })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    // Only the three that were looked up reached the log.
    expect(await db.apiRequestLog.count({ where: { shopId: made.shop.id } })).toBe(3);
    // Random tokens with a valid checksum too: no lookup, no row, a message that says what to do.
    const random = await call("/api/v1/me", { token: generateToken(), headers: from(attacker) });
    expect(random.status).toBe(429);
    expect(random.body.detail).toMatch(/invalid, revoked or expired tokens came from this address/);
    // Other addresses, and good tokens from them, are not affected.
    expect((await call("/api/v1/me", { token, headers: from("198.51.100.7") })).status).toBe(200);
  });
});
