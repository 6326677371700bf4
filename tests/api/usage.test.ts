// A token's daily credit cap (set when it is created) and GET /api/v1/usage: a script can never
// spend more than its cap per day, a generation that would pass it is refused before anything is
// written, with a 429 problem that says when it may try again; the ledger lists every movement.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // Lightbox's own key is configured, so generations cost credits (made by the offline compositor below).
  process.env.GEMINI_API_KEY = "lightbox-service-key-for-usage-tests";
});

import { ingestAsset } from "~/assets/ingest-asset.server";
import { creditBalance, grantCredits } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { createOfflineProvider } from "~/generation/offline.server";
import { setProviderFactory } from "~/generation/provider-for-shop.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { appStorage } from "~/storage/from-env.server";
import { createApiToken } from "~/tokens/create-token.server";

import { call, shopWithToken } from "./support/api";
import { fixture, withTempStorage } from "./support/storage";

withTempStorage();
const queue = createEmbeddedQueue(db, { pollMs: 20, concurrency: 2 });

beforeAll(() => {
  setJobQueue(queue);
  setProviderFactory(() => createOfflineProvider());
});
afterAll(() => {
  setProviderFactory(undefined);
  setJobQueue(undefined);
});

describe("a token's daily credit cap", () => {
  let shopId: string;
  let capped: string;
  let uncapped: string;
  let sourceId: string;
  const generate = (token: string, variants: number) =>
    call("/api/v1/generations", { method: "POST", token, json: { source_asset_ids: [sourceId], preset_id: "white-studio", variants } });

  beforeAll(async () => {
    const made = await shopWithToken("usage-cap.myshopify.com");
    shopId = made.shop.id;
    uncapped = made.plaintext;
    await grantCredits(db, { shopId, amount: 90, key: `pack:test-${shopId}`, reason: "Credit pack: test" });
    capped = (await createApiToken(db, { shopId, name: "Capped script", scopes: ["read", "write"], dailyCreditCap: 3 })).plaintext;
    sourceId = (await ingestAsset({ db, storage: appStorage(), shopId, kind: "upload", bytes: fixture("valid-photo.jpg"), filename: "mug.jpg" })).asset.id;
  });

  it("GIVEN a cap of 3 WHEN a generation would pass it THEN 429 DAILY_CREDIT_CAP with Retry-After until midnight UTC, and nothing spent or written", async () => {
    expect((await call("/api/v1/me", { token: capped })).body.token.daily_credit_cap).toBe(3);
    expect((await generate(capped, 2)).status).toBe(202);
    const before = { balance: await creditBalance(db, shopId), generations: await db.generation.count({ where: { shopId } }) };

    const refused = await generate(capped, 2);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body).toMatchObject({
      type: "urn:lightbox:problem:daily-credit-cap",
      title: "Daily credit cap reached",
      code: "DAILY_CREDIT_CAP",
      status: 429,
    });
    expect(refused.body.detail).toMatch(/^This API token may spend at most 3 credits a day and has spent 2 today \(UTC\); this needs 2\. Try again after 00:00 UTC/);
    const retryAfter = Number(refused.headers.get("retry-after"));
    const midnight = Math.ceil(Date.now() / 86_400_000) * 86_400_000;
    expect(retryAfter).toBeGreaterThan(0);
    expect(Math.abs(Date.now() + retryAfter * 1000 - midnight)).toBeLessThan(5_000);
    expect({ balance: await creditBalance(db, shopId), generations: await db.generation.count({ where: { shopId } }) }).toEqual(before);

    // What is left of the cap can still be spent; another token of the shop is not held to it.
    expect((await generate(capped, 1)).status).toBe(202);
    expect((await generate(capped, 1)).status).toBe(429);
    expect((await generate(uncapped, 2)).status).toBe(202);
    await queue.drain();
  });

  it("GIVEN a fresh cap of 3 WHEN 6 one-credit generations race THEN exactly 3 are accepted", async () => {
    const racer = (await createApiToken(db, { shopId, name: "Racer", scopes: ["read", "write"], dailyCreditCap: 3 })).plaintext;
    const statuses = (await Promise.all(Array.from({ length: 6 }, () => generate(racer, 1)))).map((r) => r.status).sort();
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
    await queue.drain();
  });

  it("refuses a cap that is not a whole number of at least 1, saying so", async () => {
    await expect(createApiToken(db, { shopId, name: "Bad cap", scopes: ["read", "write"], dailyCreditCap: 0 })).rejects.toMatchObject({
      status: 422,
      fieldErrors: { dailyCreditCap: "A daily credit cap must be at least 1 (leave it empty for no cap)" },
    });
    await expect(createApiToken(db, { shopId, name: "Bad cap", scopes: ["read", "write"], dailyCreditCap: 2.5 })).rejects.toMatchObject({
      fieldErrors: { dailyCreditCap: "The daily credit cap must be a whole number" },
    });
  });
});

describe("GET /api/v1/usage", () => {
  it("lists grants and debits newest first with the balance after each, filters by kind, model and time, pages by cursor", async () => {
    const { shop, plaintext: token } = await shopWithToken("usage-list.myshopify.com");
    const sourceId = (await ingestAsset({ db, storage: appStorage(), shopId: shop.id, kind: "upload", bytes: fixture("valid-photo.jpg") })).asset.id;
    const created = await call("/api/v1/generations", { method: "POST", token, json: { source_asset_ids: [sourceId], preset_id: "marble", variants: 2 } });
    expect(created.status).toBe(202);
    await queue.drain();

    const all = await call("/api/v1/usage", { token });
    expect(all.status).toBe(200);
    expect(all.body.data.map((e: { kind: string; credits: number; balance_after: number }) => [e.kind, e.credits, e.balance_after])).toEqual([
      ["debit", -2, 8],
      ["grant", 10, 10],
    ]);
    expect(all.body.data[0]).toMatchObject({ object: "usage_entry", model: "gemini-3.5-flash-image", generation_id: created.body.id, reason: "2 × gemini-3.5-flash-image 1K" });
    expect(all.body.data[0].token_id).toEqual(expect.any(String));
    expect(all.body.next_cursor).toBeNull();

    expect((await call("/api/v1/usage?kind=grant", { token })).body.data.map((e: { reason: string }) => e.reason)).toEqual(["Free trial credits"]);
    expect((await call("/api/v1/usage?model=gemini-3-pro-image", { token })).body.data).toEqual([]);
    expect((await call(`/api/v1/usage?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, { token })).body.data).toEqual([]);

    const first = await call("/api/v1/usage?limit=1", { token });
    expect(first.body.data).toHaveLength(1);
    const second = await call(`/api/v1/usage?limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`, { token });
    expect(second.body.data[0].kind).toBe("grant");

    const bad = await call("/api/v1/usage?kind=bonus&since=yesterday", { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { field: "kind", detail: "Must be one of grant, debit, refund, expire" },
      { field: "since", detail: "Must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z" },
    ]);
  });

  it("shows a shop only its own ledger", async () => {
    const mine = await shopWithToken("usage-mine.myshopify.com");
    await shopWithToken("usage-theirs.myshopify.com");
    const list = await call("/api/v1/usage", { token: mine.plaintext });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ kind: "grant", credits: 10 });
  });
});
