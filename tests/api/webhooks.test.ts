import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { configureApi } from "~/api/config.server";
import { WEBHOOK_JOB } from "~/api/webhooks/deliver.server";
import { enqueueGenerationWebhook } from "~/api/webhooks/enqueue.server";
import { signatureHeader, verifyWebhookSignature, webhookSigningSecret, webhookSigningSecrets } from "~/api/webhooks/signing.server";
import { checkWebhookUrl, isPrivateAddress } from "~/api/webhooks/url-policy.server";
import { db } from "~/db.server";
import "~/jobs/definitions.server";
import { runJob } from "~/jobs/run-job.server";
import { overrideKeySpecForTests } from "~/tokens/secrets.server";

import { installShop } from "../helpers/admin";
import { startReceiver } from "./support/receiver";

describe("webhook signatures", () => {
  afterEach(() => overrideKeySpecForTests(undefined));

  it("are t=<unix>,v1=<hex HMAC-SHA256 of '<t>.<body>'>, verifiable by the receiver", () => {
    const body = JSON.stringify({ event: "generation.succeeded", generation: { id: "g1" } });
    const t = 1_900_000_000;
    const header = signatureHeader("shop-1", body, t);
    expect(header).toMatch(/^t=1900000000,v1=[0-9a-f]{64}$/);
    const secret = webhookSigningSecret("shop-1");
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(verifyWebhookSignature(header, body, secret, { now: t + 10 })).toBe(true);
    expect(verifyWebhookSignature(header, `${body} `, secret, { now: t })).toBe(false); // body changed
    expect(verifyWebhookSignature(header, body, webhookSigningSecret("shop-2"), { now: t })).toBe(false); // another shop's secret
    expect(verifyWebhookSignature(header, body, secret, { now: t + 301 })).toBe(false); // replayed too late
    expect(verifyWebhookSignature(header.replace("t=1900000000", "t=1900000100"), body, secret, { now: t + 100 })).toBe(false);
    expect(verifyWebhookSignature(null, body, secret)).toBe(false);
  });

  it("carry one v1 per key during a key rotation, so receivers with the old secret keep working", () => {
    const old = webhookSigningSecret("shop-1");
    overrideKeySpecForTests(`test2:${Buffer.alloc(32, 4).toString("base64")},${process.env.ENCRYPTION_KEYS}`);
    const [current, previous] = webhookSigningSecrets("shop-1");
    expect(previous).toBe(old);
    expect(current).not.toBe(old);
    const header = signatureHeader("shop-1", "{}", 100);
    expect(header.split(",")).toHaveLength(3);
    expect(verifyWebhookSignature(header, "{}", old, { now: 100 })).toBe(true);
    expect(verifyWebhookSignature(header, "{}", current!, { now: 100 })).toBe(true);
  });
});

describe("webhook URL policy", () => {
  const publicDns = async () => ["93.184.216.34"];
  it.each([
    ["127.0.0.1"], ["127.1.2.3"], ["10.0.0.1"], ["172.16.5.4"], ["192.168.1.1"], ["169.254.169.254"], ["100.64.0.1"], ["0.0.0.0"],
    ["224.0.0.1"], ["::1"], ["::"], ["fe80::1"], ["fd00::1"], ["::ffff:127.0.0.1"], ["::ffff:7f00:1"], ["64:ff9b::a00:1"], ["ff02::1"],
  ])("%s is private", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each([["93.184.216.34"], ["8.8.8.8"], ["2606:4700:4700::1111"], ["::ffff:8.8.8.8"]])("%s is public", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it("accepts https URLs that resolve to public addresses only", async () => {
    await expect(checkWebhookUrl("https://hooks.example.com/lightbox", { resolve: publicDns })).resolves.toBeInstanceOf(URL);
    const refusals: Array<[string, (h: string) => Promise<string[]>, RegExp]> = [
      ["http://hooks.example.com/x", publicDns, /must use https/],
      ["https://user:pass@hooks.example.com/x", publicDns, /user name and password/],
      ["https://hooks.example.com/x", async () => ["93.184.216.34", "10.0.0.7"], /private, loopback or link-local/],
      ["https://rebind.example.com/x", async () => ["127.0.0.1"], /private/],
      ["https://[fd12::1]/x", publicDns, /private/],
      ["https://nowhere.invalid/x", async () => Promise.reject(new Error("ENOTFOUND")), /could not be resolved/],
      ["/relative", publicDns, /not a valid absolute URL/],
    ];
    for (const [url, resolve, message] of refusals) {
      const error = await checkWebhookUrl(url, { resolve }).catch((e: unknown) => e);
      expect(error, url).toMatchObject({ status: 422, fieldErrors: { webhookUrl: expect.stringMatching(message) } });
    }
  });

  it("allowPrivateNetworks (tests, development) lets a local receiver through", async () => {
    await expect(checkWebhookUrl("http://127.0.0.1:4000/hook", { allowPrivateNetworks: true })).resolves.toBeInstanceOf(URL);
  });
});

describe("api.webhook delivery job", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let shopId: string;
  beforeAll(async () => {
    receiver = await startReceiver();
    shopId = (await installShop("hooks.myshopify.com")).id;
  });
  afterAll(async () => {
    configureApi();
    await receiver.close();
  });
  afterEach(() => void configureApi());

  async function finishedGeneration(webhookUrl: string | null, status: "succeeded" | "failed" = "succeeded") {
    return db.generation.create({
      data: {
        shopId,
        status,
        provider: "offline",
        model: "gemini-3.1-flash-image",
        prompt: "p",
        presetId: "white-studio",
        aspectRatio: "1:1",
        resolution: "1K",
        variants: 1,
        webhookUrl,
        finishedAt: new Date(),
        ...(status === "failed" ? { errorCode: "SAFETY_BLOCKED", errorMessage: "Gemini declined." } : {}),
      },
    });
  }

  it("queues one delivery per finished generation (calling twice is harmless), none without a URL or before the end", async () => {
    const generation = await finishedGeneration(receiver.url, "failed");
    const job = await enqueueGenerationWebhook(db, generation);
    expect(job).toMatchObject({ type: WEBHOOK_JOB, shopId });
    expect(job!.payload).toMatchObject({ generationId: generation.id, event: "generation.failed" });
    expect(await enqueueGenerationWebhook(db, generation.id)).toBeNull();
    expect(await enqueueGenerationWebhook(db, await finishedGeneration(null))).toBeNull();
    const running = await db.generation.update({ where: { id: (await finishedGeneration(receiver.url)).id }, data: { status: "running" } });
    expect(await enqueueGenerationWebhook(db, running)).toBeNull();
  });

  it("throws on a non-2xx answer so the job system retries with backoff, then succeeds", async () => {
    configureApi({ webhooks: { allowPrivateNetworks: true, timeoutMs: 2_000 } });
    const generation = await finishedGeneration(receiver.url);
    const job = (await enqueueGenerationWebhook(db, generation))!;
    receiver.respondWith(500, 404);
    expect(await runJob(db, job.id, "test-worker")).toBe("retrying");
    let row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row.message).toMatch(/answered 500; it must answer 2xx/);
    expect(row.runAt.getTime()).toBeGreaterThan(Date.now()); // backoff
    await db.job.update({ where: { id: job.id }, data: { runAt: new Date(Date.now() - 1) } });
    expect(await runJob(db, job.id, "test-worker")).toBe("retrying");
    await db.job.update({ where: { id: job.id }, data: { runAt: new Date(Date.now() - 1) } });
    expect(await runJob(db, job.id, "test-worker")).toBe("succeeded");
    row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row.attempts).toBe(3);
    const sent = receiver.received.filter((r) => r.body.includes(generation.id));
    expect(sent).toHaveLength(3);
    // Same event id on every attempt; each attempt signed afresh.
    expect(new Set(sent.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    for (const r of sent) expect(verifyWebhookSignature(r.headers["lightbox-signature"] as string, r.body, webhookSigningSecret(shopId))).toBe(true);
  });

  it("refuses at delivery time to reach a private network when that is not allowed (permanent failure)", async () => {
    const before = receiver.received.length;
    for (const url of [receiver.url, `http://localhost:${receiver.port}/hooks`]) {
      const generation = await finishedGeneration(url);
      const job = (await enqueueGenerationWebhook(db, generation))!;
      expect(await runJob(db, job.id, "test-worker"), url).toBe("failed");
      const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
      expect(row.message, url).toMatch(/private network/);
    }
    expect(receiver.received.length).toBe(before);
  });
});
