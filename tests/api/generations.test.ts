import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // Lightbox's own key is configured, so generations cost credits; the provider is swapped for
  // the offline compositor below (no network).
  process.env.GEMINI_API_KEY = "lightbox-service-key-for-api-tests";
});

import { configureApi } from "~/api/config.server";
import { openApiDocument } from "~/api/contract/document";
import { verifyWebhookSignature, webhookSigningSecret } from "~/api/webhooks/signing.server";
import { ingestAsset } from "~/assets/ingest-asset.server";
import { creditBalance } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { GenerationError } from "~/generation/errors";
import { createOfflineProvider } from "~/generation/offline.server";
import { PRESET_IDS } from "~/generation/presets";
import { setProviderFactory } from "~/generation/provider-for-shop.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { appStorage } from "~/storage/from-env.server";
import { createApiToken } from "~/tokens/create-token.server";

import { call, shopWithToken } from "./support/api";
import { validateValue } from "./support/openapi-check";
import { startReceiver } from "./support/receiver";
import { fixture, withTempStorage } from "./support/storage";

withTempStorage();
const queue = createEmbeddedQueue(db, { pollMs: 20, concurrency: 4 });
let receiver: Awaited<ReturnType<typeof startReceiver>>;

/** Runs queued jobs (generation, then its webhook) until nothing is left, bringing retries forward. */
async function settleJobs() {
  for (let i = 0; i < 6; i++) {
    await queue.drain();
    const waiting = await db.job.updateMany({ where: { status: "queued" }, data: { runAt: new Date(Date.now() - 1) } });
    if (waiting.count === 0) return;
  }
}

beforeAll(async () => {
  setJobQueue(queue);
  setProviderFactory(() => createOfflineProvider());
  receiver = await startReceiver();
});
afterAll(async () => {
  setProviderFactory(undefined);
  setJobQueue(undefined);
  configureApi();
  await receiver.close();
});

describe("generations over the API", () => {
  let shopId: string;
  let token: string;
  let sourceId: string;
  beforeAll(async () => {
    const made = await shopWithToken("gen-api.myshopify.com");
    shopId = made.shop.id;
    token = made.plaintext;
    sourceId = (await ingestAsset({ db, storage: appStorage(), shopId, kind: "upload", bytes: fixture("valid-photo.jpg"), filename: "mug.jpg" })).asset.id;
  });

  it("creates a generation: 202 with Location, credits debited, then succeeded with outputs and URLs", async () => {
    const before = await creditBalance(db, shopId);
    const created = await call("/api/v1/generations", {
      method: "POST",
      token,
      json: { source_asset_ids: [sourceId], preset_id: "white-studio", aspect_ratio: "4:5", variants: 2, product_id: "42" },
    });
    expect(created.status).toBe(202);
    expect(created.headers.get("location")).toBe(`/api/v1/generations/${created.body.id}`);
    expect(created.body).toMatchObject({ object: "generation", status: "queued", variants: 2, aspect_ratio: "4:5", product_id: "gid://shopify/Product/42", outputs: [] });
    expect(created.body.credits_charged).toBe(2);
    expect(await creditBalance(db, shopId)).toBe(before - 2);

    await settleJobs();
    const done = await call(created.headers.get("location")!, { token });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: "succeeded", progress: 100, error: null });
    expect(done.body.outputs).toHaveLength(2);
    expect(done.body.outputs.map((o: { variant_index: number }) => o.variant_index)).toEqual([0, 1]);
    expect(done.body.outputs[0].urls.display).toMatch(/^http/);
    expect(done.body.finished_at).not.toBeNull();
    // The fidelity check of each output (the offline compositor's pixel comparison), free.
    expect(done.body.fidelity).toEqual(
      done.body.outputs.map((o: { id: string }) => ({ asset_id: o.id, outcome: "passed", score: expect.any(Number), reasons: [] })),
    );
    expect(await creditBalance(db, shopId)).toBe(before - 2);
  });

  it("GIVEN the process died after creating a generation but before storing its response WHEN the client retries with the same Idempotency-Key THEN it gets that generation back, charged once", async () => {
    const key = randomUUID();
    const before = await creditBalance(db, shopId);
    const ask = { source_asset_ids: [sourceId], preset_id: "white-studio", variants: 1 };
    const first = await call("/api/v1/generations", { method: "POST", token, json: ask, headers: { "Idempotency-Key": key } });
    expect(first.status).toBe(202);
    // As a kill -9 between the commit and the stored response leaves it: in flight, long ago.
    await db.idempotencyRecord.updateMany({
      where: { key },
      data: { state: "in_flight", responseStatus: null, responseBody: null, createdAt: new Date(Date.now() - 10 * 60_000) },
    });
    const retried = await call("/api/v1/generations", { method: "POST", token, json: ask, headers: { "Idempotency-Key": key } });
    expect(retried.status).toBe(202);
    expect(retried.body.id).toBe(first.body.id);
    expect(retried.headers.get("location")).toBe(first.headers.get("location"));
    expect(await db.generation.count({ where: { shopId, id: first.body.id } })).toBe(1);
    expect(await creditBalance(db, shopId)).toBe(before - 1);
    // A new key is a new generation.
    const other = await call("/api/v1/generations", { method: "POST", token, json: ask, headers: { "Idempotency-Key": randomUUID() } });
    expect(other.body.id).not.toBe(first.body.id);
    expect(await creditBalance(db, shopId)).toBe(before - 2);
    await settleJobs();
  });

  it("lists generations with status filter and pagination", async () => {
    await call("/api/v1/generations", { method: "POST", token, json: { source_asset_ids: [sourceId], custom_prompt: "on a marble table" } });
    const all = await call("/api/v1/generations?limit=1", { token });
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(1);
    expect(all.body.next_cursor).toEqual(expect.any(String));
    const next = await call(`/api/v1/generations?limit=1&cursor=${encodeURIComponent(all.body.next_cursor)}`, { token });
    expect(next.body.data[0].id).not.toBe(all.body.data[0].id);
    const queued = await call("/api/v1/generations?status=queued", { token });
    expect(queued.body.data.every((g: { status: string }) => g.status === "queued")).toBe(true);
    expect(queued.body.data).toHaveLength(1);
    const bad = await call("/api/v1/generations?status=done", { token });
    expect(bad.status).toBe(400);
    await settleJobs();
  });

  it("refuses invalid bodies with 422 and a field error per field, in the API's snake_case names", async () => {
    const bad = await call("/api/v1/generations", {
      method: "POST",
      token,
      json: { source_asset_ids: [], aspect_ratio: "2:1", variants: 9, model: "imagen-4", webhook_url: 5 },
    });
    expect(bad.status).toBe(422);
    const fields = bad.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(["aspect_ratio", "model", "source_asset_ids", "variants", "webhook_url"]);
    expect(bad.body.detail).toMatch(/source_asset_ids: Give at least one source image/);

    const camel = await call("/api/v1/generations", { method: "POST", token, json: { sourceAssetIds: [sourceId], presetId: "white-studio" } });
    expect(camel.status).toBe(422);
    expect(camel.body.detail).toMatch(/Unrecognized key\(s\) in object: 'sourceAssetIds', 'presetId'/);

    // The domain's own rule (a preset or a prompt), mapped to the API's field name.
    const noStyle = await call("/api/v1/generations", { method: "POST", token, json: { source_asset_ids: [sourceId] } });
    expect(noStyle.status).toBe(422);
    expect(noStyle.body.errors).toEqual([{ field: "preset_id", detail: "Choose a style preset or describe the scene" }]);

    const notJson = await call("/api/v1/generations", { method: "POST", token, body: "source_asset_ids=1", headers: { "Content-Type": "text/plain" } });
    expect(notJson.status).toBe(415);
    const broken = await call("/api/v1/generations", { method: "POST", token, body: "{", headers: { "Content-Type": "application/json" } });
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe("INVALID_JSON");
  });

  it("an unknown source image is 404, and nothing is charged", async () => {
    const before = await creditBalance(db, shopId);
    const response = await call("/api/v1/generations", { method: "POST", token, json: { source_asset_ids: ["nope"], preset_id: "white-studio" } });
    expect(response.status).toBe(404);
    expect(await creditBalance(db, shopId)).toBe(before);
  });

  it("402 with a clear message when the shop lacks the credits; nothing is created", async () => {
    const before = await db.generation.count({ where: { shopId } });
    const jobs = await db.job.count();
    const response = await call("/api/v1/generations", {
      method: "POST",
      token,
      json: { source_asset_ids: [sourceId], preset_id: "white-studio", model: "gemini-3-pro-image", resolution: "4K", variants: 4 },
    });
    expect(response.status).toBe(402);
    expect(response.body).toMatchObject({ code: "INSUFFICIENT_CREDITS", title: "Not enough credits" });
    expect(response.body.detail).toMatch(/needs 28 credits/);
    expect(await db.generation.count({ where: { shopId } })).toBe(before);
    expect(await db.job.count()).toBe(jobs);
  });

  it("an Idempotency-Key makes a retried create safe: one generation, one debit", async () => {
    const body = { source_asset_ids: [sourceId], preset_id: PRESET_IDS[1]! };
    const key2 = randomUUID();
    const before = await creditBalance(db, shopId);
    const first = await call("/api/v1/generations", { method: "POST", token, json: body, headers: { "Idempotency-Key": key2 } });
    // Same JSON with keys in another order and different whitespace is the same request.
    const again = await call("/api/v1/generations", {
      method: "POST",
      token,
      body: `{ "preset_id": "${body.preset_id}",\n  "source_asset_ids": ["${sourceId}"] }`,
      headers: { "Idempotency-Key": key2, "Content-Type": "application/json" },
    });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    expect(await creditBalance(db, shopId)).toBe(before - 1);
    const mismatch = await call("/api/v1/generations", { method: "POST", token, json: { ...body, variants: 2 }, headers: { "Idempotency-Key": key2 } });
    expect(mismatch.status).toBe(422);
    await settleJobs();
  });

  it("GIVEN the queue cannot be told (Redis down) WHEN a generation is created THEN 202 all the same (the row is the truth), and a retry replays it: one debit", async () => {
    const body = { source_asset_ids: [sourceId], preset_id: PRESET_IDS[2]! };
    const key = randomUUID();
    const before = await creditBalance(db, shopId);
    setJobQueue({ ...queue, dispatch: () => Promise.reject(new Error("READONLY You can't write against a read only replica.")) });
    try {
      const first = await call("/api/v1/generations", { method: "POST", token, json: body, headers: { "Idempotency-Key": key } });
      const again = await call("/api/v1/generations", { method: "POST", token, json: body, headers: { "Idempotency-Key": key } });
      expect([first.status, again.status]).toEqual([202, 202]);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await creditBalance(db, shopId)).toBe(before - 1);
    } finally {
      setJobQueue(queue);
    }
    // The job was never announced; the queue's poll finds it anyway.
    await settleJobs();
    expect(await db.generation.count({ where: { shopId, presetId: PRESET_IDS[2]!, status: "succeeded" } })).toBe(1);
  });

  it("refuses a NUL character in an id or text with 400 saying so (PostgreSQL cannot store it)", async () => {
    const inPath = await call("/api/v1/assets/a%00b", { token });
    const inBody = await call("/api/v1/generations", { method: "POST", token, json: { source_asset_ids: [sourceId], custom_prompt: "white\u0000background" } });
    for (const response of [inPath, inBody]) {
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: "INVALID_TEXT", detail: "Ids and text cannot contain the NUL character (\\u0000). Remove it and send the request again." });
    }
  });

  it("refines an output with a follow-up instruction (202, then a new generation that edits it)", async () => {
    const output = await db.asset.findFirstOrThrow({ where: { shopId, kind: "generated" } });
    const refined = await call(`/api/v1/assets/${output.id}/refine`, { method: "POST", token, json: { instruction: "darker background" } });
    expect(refined.status).toBe(202);
    expect(refined.body).toMatchObject({ instruction: "darker background", parent_asset_id: output.id, variants: 1 });
    await settleJobs();
    const done = await call(`/api/v1/generations/${refined.body.id}`, { token });
    expect(done.body.status).toBe("succeeded");
    const tooShort = await call(`/api/v1/assets/${output.id}/refine`, { method: "POST", token, json: { instruction: "x" } });
    expect(tooShort.status).toBe(422);
    expect(tooShort.body.errors[0].field).toBe("instruction");
  });

  it("a read-only token cannot create or refine (403)", async () => {
    const reader = await createApiToken(db, { shopId, name: "reader", scopes: ["read"] });
    const before = await db.generation.count({ where: { shopId } });
    expect((await call("/api/v1/generations", { method: "POST", token: reader.plaintext, json: { source_asset_ids: [sourceId], preset_id: "white-studio" } })).status).toBe(403);
    expect((await call(`/api/v1/assets/${sourceId}/refine`, { method: "POST", token: reader.plaintext, json: { instruction: "brighter" } })).status).toBe(403);
    expect(await db.generation.count({ where: { shopId } })).toBe(before);
    expect((await call("/api/v1/generations", { token: reader.plaintext })).status).toBe(200);
  });

  describe("webhook_url", () => {
    it("refuses private, loopback and link-local URLs and plain http with 422 (unless allowed)", async () => {
      for (const url of ["http://example.com/hook", "https://127.0.0.1/hook", "https://10.1.2.3/x", "https://169.254.169.254/latest", "https://[::1]/x", "https://localhost/x", "not a url"]) {
        const response = await call("/api/v1/generations", { method: "POST", token, json: { source_asset_ids: [sourceId], preset_id: "white-studio", webhook_url: url } });
        expect(response.status, url).toBe(422);
        expect(response.body.errors[0].field, url).toBe("webhook_url");
      }
    });

    it("POSTs the signed outcome when the generation ends, matching the documented event schema", async () => {
      configureApi({ webhooks: { allowPrivateNetworks: true, timeoutMs: 5_000 } });
      receiver.respondWith(503); // the first delivery fails and is retried
      const created = await call("/api/v1/generations", {
        method: "POST",
        token,
        json: { source_asset_ids: [sourceId], preset_id: "white-studio", webhook_url: receiver.url },
      });
      expect(created.status).toBe(202);
      await settleJobs();

      const deliveries = receiver.received.filter((r) => r.body.includes(created.body.id));
      expect(deliveries).toHaveLength(2);
      const [failed, delivered] = deliveries as [typeof deliveries[0], typeof deliveries[0]];
      expect(delivered.method).toBe("POST");
      expect(delivered.headers["lightbox-event"]).toBe("generation.succeeded");
      expect(delivered.headers["lightbox-delivery"]).toBe(failed.headers["lightbox-delivery"]);
      const signature = delivered.headers["lightbox-signature"] as string;
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(signature, delivered.body, await webhookSigningSecret(db, shopId))).toBe(true);
      expect(verifyWebhookSignature(signature, delivered.body.replace("succeeded", "failed"), await webhookSigningSecret(db, shopId))).toBe(false);

      const event = JSON.parse(delivered.body);
      expect(event).toMatchObject({ event: "generation.succeeded", generation: { id: created.body.id, status: "succeeded" } });
      expect(event.generation.outputs).toHaveLength(1);
      const doc = openApiDocument();
      expect(validateValue(doc, { $ref: "#/components/schemas/WebhookEvent" }, event)).toEqual([]);
      const job = await db.job.findFirstOrThrow({ where: { type: "api.webhook", payload: { path: ["generationId"], equals: created.body.id } } });
      expect(job).toMatchObject({ status: "succeeded", attempts: 2 });
    });

    it("a failed generation refunds its credits and POSTs generation.failed (queued inside the failure's transaction)", async () => {
      configureApi({ webhooks: { allowPrivateNetworks: true, timeoutMs: 5_000 } });
      setProviderFactory(() => ({
        id: "gemini",
        label: "always refuses",
        generate: async () => {
          throw new GenerationError("SAFETY_BLOCKED");
        },
        altText: async () => "",
      }));
      try {
        const before = await creditBalance(db, shopId);
        const created = await call("/api/v1/generations", {
          method: "POST",
          token,
          json: { source_asset_ids: [sourceId], preset_id: "white-studio", webhook_url: receiver.url },
        });
        expect(created.status).toBe(202);
        expect(await creditBalance(db, shopId)).toBe(before - 1);
        await settleJobs();
        const failed = await call(`/api/v1/generations/${created.body.id}`, { token });
        expect(failed.body).toMatchObject({ status: "failed", error: { code: "SAFETY_BLOCKED" }, outputs: [] });
        expect(await creditBalance(db, shopId)).toBe(before);
        const delivery = receiver.received.find((r) => r.body.includes(created.body.id) && r.headers["lightbox-event"] === "generation.failed");
        expect(delivery).toBeDefined();
        expect(verifyWebhookSignature(delivery!.headers["lightbox-signature"] as string, delivery!.body, await webhookSigningSecret(db, shopId))).toBe(true);
        expect(JSON.parse(delivery!.body).generation.error.code).toBe("SAFETY_BLOCKED");
      } finally {
        setProviderFactory(() => createOfflineProvider());
      }
    });
  });
});
