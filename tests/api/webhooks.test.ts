import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { configureApi } from "~/api/config.server";
import { WEBHOOK_JOB } from "~/api/webhooks/deliver.server";
import { enqueueGenerationWebhook } from "~/api/webhooks/enqueue.server";
import {
  newWebhookSecret,
  rotateWebhookSecret,
  signatureHeader,
  verifyWebhookSignature,
  webhookSigningSecret,
  webhookSigningSecrets,
} from "~/api/webhooks/signing.server";
import { checkWebhookUrl, isPrivateAddress } from "~/api/webhooks/url-policy.server";
import { db } from "~/db.server";
import { runJob } from "~/jobs/run-job.server";
import { overrideKeySpecForTests } from "~/tokens/secrets.server";

import { installShop } from "../helpers/admin";
import { rawDump } from "../helpers/raw-dump";
import { startReceiver } from "./support/receiver";

describe("webhook signatures", () => {
  afterEach(() => overrideKeySpecForTests(undefined));

  it("are t=<unix>,v1=<hex HMAC-SHA256 of '<t>.<body>'>, verifiable by the receiver", () => {
    const body = JSON.stringify({ event: "generation.succeeded", generation: { id: "g1" } });
    const t = 1_900_000_000;
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const header = signatureHeader([secret], body, t);
    expect(header).toMatch(/^t=1900000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(header, body, secret, { now: t + 10 })).toBe(true);
    expect(verifyWebhookSignature(header, `${body} `, secret, { now: t })).toBe(false); // body changed
    expect(verifyWebhookSignature(header, body, newWebhookSecret(), { now: t })).toBe(false); // another shop's secret
    expect(verifyWebhookSignature(header, body, secret, { now: t + 301 })).toBe(false); // replayed too late
    expect(verifyWebhookSignature(header.replace("t=1900000000", "t=1900000100"), body, secret, { now: t + 100 })).toBe(false);
    expect(verifyWebhookSignature(null, body, secret)).toBe(false);
  });

  it("GIVEN a shop's secret THEN it is stored encrypted (never in plaintext), per shop, and survives an encryption key rotation unchanged", async () => {
    const a = await installShop("secret-a.myshopify.com");
    const b = await installShop("secret-b.myshopify.com");
    const secret = await webhookSigningSecret(db, a.id);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(await webhookSigningSecret(db, b.id)).not.toBe(secret);
    expect(await webhookSigningSecret(db, a.id)).toBe(secret); // stored, not re-made
    expect((await db.shop.findUniqueOrThrow({ where: { id: a.id } })).webhookSecretCiphertext).toMatch(/^enc:v1:/);
    expect(await rawDump(db)).not.toContain(secret);
    overrideKeySpecForTests(`test2:${Buffer.alloc(32, 4).toString("base64")},${process.env.ENCRYPTION_KEYS}`);
    expect(await webhookSigningSecrets(db, a.id)).toEqual([secret]);
  });

  it("GIVEN a rotation THEN a new secret signs at once, the old one too for 24 hours, then only the new one", async () => {
    const shop = await installShop("secret-rotate.myshopify.com");
    const old = await webhookSigningSecret(db, shop.id);
    const at = new Date();
    const rotated = await rotateWebhookSecret(db, shop.id, at);
    const [current, previous] = rotated.secrets;
    expect(current).not.toBe(old);
    expect(previous).toBe(old);
    expect(rotated.previousValidUntil?.getTime()).toBe(at.getTime() + 24 * 3_600_000);
    expect(await rawDump(db)).not.toContain(current);
    expect(await rawDump(db)).not.toContain(old);

    const header = signatureHeader(await webhookSigningSecrets(db, shop.id, at), "{}", 100);
    expect(header.split(",")).toHaveLength(3);
    expect(verifyWebhookSignature(header, "{}", old, { now: 100 })).toBe(true);
    expect(verifyWebhookSignature(header, "{}", current!, { now: 100 })).toBe(true);

    const dayLater = new Date(at.getTime() + 24 * 3_600_000 + 1);
    expect(await webhookSigningSecrets(db, shop.id, dayLater)).toEqual([current]);
    // Rotating again (a leak?) drops the first secret at once; only the second stays for its day.
    const again = await rotateWebhookSecret(db, shop.id, new Date(at.getTime() + 60_000));
    expect(again.secrets).toEqual([expect.not.stringMatching(current!), current]);
    expect(again.secrets).not.toContain(old);
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
    for (const r of sent) expect(verifyWebhookSignature(r.headers["lightbox-signature"] as string, r.body, await webhookSigningSecret(db, shopId))).toBe(true);
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
