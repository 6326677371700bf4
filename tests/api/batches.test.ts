// Batches over the public API: the cost preview (dry_run), a batch's life (202, GET with every
// product, pause/resume/cancel), batch.completed signed to webhook_url, a token's daily credit cap
// holding its batches, a revoked token pausing them, and other shops' batches staying invisible.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "lightbox-service-key-for-tests";
});

import { openApiDocument } from "~/api/contract/document";
import { configureApi } from "~/api/config.server";
import { verifyWebhookSignature, webhookSigningSecret } from "~/api/webhooks/signing.server";
import { creditBalance } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { revokeApiToken } from "~/tokens/revoke-token.server";
import { createApiToken } from "~/tokens/create-token.server";

import { settleBatch, startBatchHarness, type BatchHarness } from "../batches/support";
import { shopWithToken } from "./support/api";
import { call } from "./support/api";
import { validateValue } from "./support/openapi-check";
import { startReceiver } from "./support/receiver";

let h: BatchHarness;
let token: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  h = await startBatchHarness({ products: 6, credits: 22, gemini: {} });
  token = (await createApiToken(db, { shopId: h.shopId, name: "catalogue script", scopes: ["read", "write"] })).plaintext;
  receiver = await startReceiver();
  configureApi({ webhooks: { allowPrivateNetworks: true, timeoutMs: 5_000 } });
});
afterAll(async () => {
  configureApi();
  await receiver?.close();
  await h?.stopAll();
});

const white = { preset_id: "white-studio", images_per_product: 1 };

describe("POST /api/v1/batches", () => {
  it("dry_run=true answers the cost and the time, and starts nothing", async () => {
    const before = await db.batch.count();
    const res = await call("/api/v1/batches?dry_run=true", { method: "POST", token, json: { ...white, filter: { search: "00" } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: "batch_quote", products: 6, credits_per_product: 1, total_credits: 6, balance: 22, covered: 6, balance_after: 16, billing: "credits" });
    expect(res.body.estimated_seconds).toBeGreaterThan(0);
    expect(await db.batch.count()).toBe(before);
    expect(await creditBalance(db, h.shopId)).toBe(22);
  });

  it("refuses what it cannot do with a problem naming the field, and writes nothing", async () => {
    const before = await db.batch.count();
    const both = await call("/api/v1/batches", { method: "POST", token, json: { ...white, product_ids: ["1"], filter: { vendor: "x" } } });
    expect(both.status).toBe(422);
    expect(both.body.errors[0].field).toBe("filter");
    const noStyle = await call("/api/v1/batches", { method: "POST", token, json: { filter: {} } });
    expect(noStyle.status).toBe(422);
    expect(JSON.stringify(noStyle.body.errors)).toContain("preset");
    const unknown = await call("/api/v1/batches", { method: "POST", token, json: { ...white, product_ids: ["999999999"] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toMatch(/No products match/);
    expect(await db.batch.count()).toBe(before);
  });

  it("runs a batch: 202 with Location, then every product's state, and batch.completed signed to webhook_url", async () => {
    const created = await call("/api/v1/batches", { method: "POST", token, json: { ...white, filter: { search: "00" }, webhook_url: receiver.url } });
    expect(created.status).toBe(202);
    expect(created.headers.get("location")).toBe(`/api/v1/batches/${created.body.id}`);
    expect(created.body).toMatchObject({ object: "batch", status: "running", counts: { total: 6 }, billing: "credits" });
    await settleBatch(h, created.body.id);

    const done = await call(`/api/v1/batches/${created.body.id}`, { token });
    expect(done.body).toMatchObject({ status: "completed", progress: 100, counts: { total: 6, review: 6 } });
    expect(done.body.items).toHaveLength(6);
    for (const item of done.body.items) {
      expect(item).toMatchObject({ status: "review", attempt: 1, error: null });
      expect(item.output_asset_ids).toHaveLength(1);
      const asset = await call(`/api/v1/assets/${item.output_asset_ids[0]}`, { token });
      expect(asset.body).toMatchObject({ kind: "generated", product_id: item.product_id });
    }
    expect(await creditBalance(db, h.shopId)).toBe(16);

    const delivery = receiver.received.find((r) => r.headers["lightbox-event"] === "batch.completed");
    expect(delivery).toBeDefined();
    expect(verifyWebhookSignature(delivery!.headers["lightbox-signature"] as string, delivery!.body, await webhookSigningSecret(db, h.shopId))).toBe(true);
    const event = JSON.parse(delivery!.body);
    expect(event).toMatchObject({ event: "batch.completed", batch: { id: created.body.id, status: "completed" } });
    expect(validateValue(openApiDocument(), { $ref: "#/components/schemas/BatchWebhookEvent" }, event)).toEqual([]);

    const list = await call("/api/v1/batches?limit=1", { token });
    expect(list.body.data.map((b: { id: string }) => b.id)).toEqual([created.body.id]);
    expect(await call(`/api/v1/batches/${created.body.id}/pause`, { method: "POST", token })).toMatchObject({ status: 409 });
  });

  it("GIVEN the process died after starting a batch but before storing its response WHEN the client retries with the same Idempotency-Key THEN it gets that batch back, each product made and charged once", async () => {
    const key = randomUUID();
    const before = await creditBalance(db, h.shopId);
    const ask = { ...white, product_ids: ["7000000000", "7000000001"] };
    const first = await call("/api/v1/batches", { method: "POST", token, json: ask, headers: { "Idempotency-Key": key } });
    expect(first.status).toBe(202);
    await settleBatch(h, first.body.id);
    // As a kill -9 between the commit and the stored response leaves it: in flight, long ago.
    await db.idempotencyRecord.updateMany({
      where: { key },
      data: { state: "in_flight", responseStatus: null, responseBody: null, createdAt: new Date(Date.now() - 10 * 60_000) },
    });
    const batchesBefore = await db.batch.count({ where: { shopId: h.shopId } });
    const retried = await call("/api/v1/batches", { method: "POST", token, json: ask, headers: { "Idempotency-Key": key } });
    expect(retried.status).toBe(202);
    const made = first.body.counts.total;
    expect(made).toBeGreaterThan(0);
    expect(retried.body).toMatchObject({ id: first.body.id, status: "completed", counts: { total: made, review: made } });
    expect(retried.headers.get("location")).toBe(first.headers.get("location"));
    await settleBatch(h, first.body.id);
    expect(await db.batch.count({ where: { shopId: h.shopId } })).toBe(batchesBefore);
    const items = await db.batchItem.findMany({ where: { batchId: first.body.id }, select: { id: true } });
    expect(await db.generation.count({ where: { shopId: h.shopId, batchItemId: { in: items.map((item) => item.id) } } })).toBe(made);
    expect(await creditBalance(db, h.shopId)).toBe(before - made);
  });

  it("pause holds the rest, resume goes on, cancel ends it without charging what did not start", async () => {
    h.fake!.next(...Array.from({ length: 10 }, () => ({ latencyMs: 600 })));
    const before = await creditBalance(db, h.shopId);
    const created = await call("/api/v1/batches", { method: "POST", token, json: { ...white, product_ids: ["7000000000", "7000000001", "7000000002", "7000000003", "7000000004", "7000000005"] } });
    expect(created.status).toBe(202);
    const paused = await call(`/api/v1/batches/${created.body.id}/pause`, { method: "POST", token });
    expect(paused.body.status).toBe("paused");
    await settleBatch(h, created.body.id);
    const held = await call(`/api/v1/batches/${created.body.id}`, { token });
    // What had started finished; the rest waits.
    expect(held.body.counts.waiting).toBeGreaterThan(0);
    const made = held.body.counts.review;
    expect(await creditBalance(db, h.shopId)).toBe(before - made);

    const resumed = await call(`/api/v1/batches/${created.body.id}/resume`, { method: "POST", token });
    expect(resumed.body.status).toBe("running");
    const cancelled = await call(`/api/v1/batches/${created.body.id}/cancel`, { method: "POST", token });
    expect(cancelled.body.status).toBe("cancelled");
    await settleBatch(h, created.body.id);
    const end = await call(`/api/v1/batches/${created.body.id}`, { token });
    expect(end.body.counts.waiting + end.body.counts.working).toBe(0);
    expect(await creditBalance(db, h.shopId)).toBe(before - end.body.counts.review);
  });

  it("a token's daily credit cap holds its batch: the products past it wait for tomorrow, nothing is overspent", async () => {
    const capped = await createApiToken(db, { shopId: h.shopId, name: "capped", scopes: ["read", "write"], dailyCreditCap: 2 });
    const before = await creditBalance(db, h.shopId);
    const created = await call("/api/v1/batches", { method: "POST", token: capped.plaintext, json: { ...white, filter: { search: "00" } } });
    expect(created.status).toBe(202);
    // Run what is due now (deferred work is not brought forward: tomorrow stays tomorrow).
    await h.queue.drain();
    await h.queue.drain();
    const state = await call(`/api/v1/batches/${created.body.id}`, { token });
    expect(state.body.status).toBe("running");
    expect(state.body.counts.review).toBe(2);
    expect(await creditBalance(db, h.shopId)).toBe(before - 2);
    const deferred = await db.job.findMany({ where: { shopId: h.shopId, type: "batch.item", status: "queued" } });
    expect(deferred.length).toBeGreaterThan(0);
    expect(deferred.every((job) => job.runAt.getTime() > Date.now() + 60_000 && /credits a day/.test(job.message ?? ""))).toBe(true);
    await call(`/api/v1/batches/${created.body.id}/cancel`, { method: "POST", token });
  });

  it("a batch whose token is revoked pauses and says why", async () => {
    const other = await createApiToken(db, { shopId: h.shopId, name: "to revoke", scopes: ["read", "write"] });
    h.fake!.next(...Array.from({ length: 10 }, () => ({ latencyMs: 400 })));
    const created = await call("/api/v1/batches", { method: "POST", token: other.plaintext, json: { ...white, filter: { search: "00" } } });
    expect(created.status).toBe(202);
    await revokeApiToken(db, h.shopId, other.token.id);
    await settleBatch(h, created.body.id);
    const state = await call(`/api/v1/batches/${created.body.id}`, { token });
    expect(state.body.status).toBe("paused");
    expect(state.body.stop_reason).toMatch(/token .* revoked/);
    await call(`/api/v1/batches/${created.body.id}/cancel`, { method: "POST", token });
  });

  it("another shop's batch is not found", async () => {
    const stranger = await shopWithToken("batch-stranger.myshopify.com");
    const mine = await db.batch.findFirstOrThrow({ where: { shopId: h.shopId } });
    for (const path of [`/api/v1/batches/${mine.id}`]) expect((await call(path, { token: stranger.plaintext })).status).toBe(404);
    for (const verb of ["pause", "resume", "cancel"]) {
      expect((await call(`/api/v1/batches/${mine.id}/${verb}`, { method: "POST", token: stranger.plaintext })).status).toBe(404);
    }
    expect((await call("/api/v1/batches", { token: stranger.plaintext })).body.data).toEqual([]);
  });
});
