// The Gemini provider through the REAL @google/genai SDK against the local fake.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import {
  BLOCK_REASON_OUTCOMES,
  FINISH_REASON_OUTCOMES,
  type GeminiProviderOptions,
  createGeminiProvider,
  validateApiKey,
} from "~/generation/gemini.server";
import { buildPrompt } from "~/generation/prompts";
import { type GenerateRequest, GenerationError } from "~/generation/provider";

import { type GeminiFake, startGeminiFake } from "../fakes/gemini/server";
import { productOnLightBackground } from "./fixtures";
import { virtualClock } from "./helpers";

let fake: GeminiFake;
let source: { bytes: Uint8Array; mimeType: string };

beforeAll(async () => {
  fake = await startGeminiFake();
  source = await productOnLightBackground({ width: 400, height: 300 });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.stop();
});

function provider(overrides: Partial<GeminiProviderOptions> = {}) {
  const clock = virtualClock();
  const p = createGeminiProvider({
    apiKey: fake.apiKey,
    baseUrl: fake.baseUrl,
    clock,
    requestTimeoutMs: 5_000,
    retryBudgetMs: 10_000,
    ...overrides,
  });
  return { p, clock };
}

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    model: "gemini-3.1-flash-image",
    prompt: buildPrompt({ presetId: "marble", productTitle: "Red Bottle", aspectRatio: "16:9" }),
    sources: [source],
    aspectRatio: "16:9",
    resolution: "1K",
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<GenerationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GenerationError);
  return error as GenerationError;
}

describe("generate: success", () => {
  it("GIVEN a preset prompt WHEN generating THEN image bytes and metadata come back and the SDK sent the right parts", async () => {
    const { p } = provider();
    const reference = await productOnLightBackground({ width: 200, height: 200, background: "#eeeeee", format: "png" });
    const result = await p.generate(request({ references: [reference] }));

    // Result
    expect(result.images).toHaveLength(1);
    const image = result.images[0]!;
    expect(image.mimeType).toBe("image/png");
    const meta = await sharp(image.bytes).metadata();
    expect(meta.format).toBe("png");
    expect([meta.width, meta.height]).toEqual([1376, 768]); // Google's 16:9 size at 1K
    expect(result.finishReason).toBe("STOP");
    expect(result.model).toBe("gemini-3.1-flash-image");
    expect(result.modelVersion).toBe("gemini-3.1-flash-image");
    expect(result.responseId).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(result.usage.outputTokens).toBe(1120);
    expect(result.usage.promptTokens).toBeGreaterThan(2240);
    expect(result.usage.totalTokens).toBe(result.usage.promptTokens + result.usage.outputTokens);
    expect(result.timings.attempts).toBe(1);
    expect(result.timings.waitedMs).toBe(0);

    // What the SDK put on the wire
    const [sent] = fake.generateRequests();
    // @google/genai 3.x defaults to the v1 API for Gemini.
    expect(sent!.path).toBe("/v1/models/gemini-3.1-flash-image:generateContent");
    expect(sent!.headers["x-goog-api-key"]).toBe(fake.apiKey);
    const body = sent!.body;
    expect(body.contents).toHaveLength(1);
    expect(body.contents[0].role).toBe("user");
    const parts = body.contents[0].parts;
    expect(parts[0]).toEqual({ text: request().prompt });
    expect(parts[1].text).toMatch(/Source photo of the product/);
    expect(parts[2].inlineData.mimeType).toBe("image/jpeg");
    expect(Buffer.from(parts[2].inlineData.data, "base64").equals(Buffer.from(source.bytes))).toBe(true);
    expect(parts[3].text).toMatch(/Style reference 1/);
    expect(parts[4].inlineData.mimeType).toBe("image/png");
    expect(parts).toHaveLength(5);
    expect(body.generationConfig).toEqual({
      responseModalities: ["IMAGE"],
      imageConfig: { aspectRatio: "16:9", imageSize: "1K" },
    });
  });

  it("sends the premium model, resolution and TEXT+IMAGE modalities when asked", async () => {
    const { p } = provider({ allowTextResponse: true });
    fake.next({ text: "Here is your photo." });
    const result = await p.generate(request({ model: "gemini-3-pro-image", aspectRatio: "4:5", resolution: "2K" }));
    const meta = await sharp(result.images[0]!.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([1856, 2304]);
    expect(result.text).toBe("Here is your photo.");
    expect(result.usage.thoughtsTokens).toBeGreaterThan(0);
    const body = fake.generateRequests()[0]!.body;
    expect(fake.generateRequests()[0]!.model).toBe("gemini-3-pro-image");
    expect(body.generationConfig.responseModalities).toEqual(["TEXT", "IMAGE"]);
    expect(body.generationConfig.imageConfig).toEqual({ aspectRatio: "4:5", imageSize: "2K" });
  });

  it("uses the configured API version", async () => {
    const { p } = provider({ apiVersion: "v1beta" });
    await p.generate(request());
    expect(fake.generateRequests()[0]!.path).toBe("/v1beta/models/gemini-3.1-flash-image:generateContent");
  });

  it("ignores interim thought images and returns the final one", async () => {
    const { p } = provider();
    fake.next({ thoughtImage: true });
    const result = await p.generate(request({ aspectRatio: "1:1" }));
    expect(result.images).toHaveLength(1);
    const meta = await sharp(result.images[0]!.bytes).metadata();
    expect(meta.width).toBe(1024);
  });

  it("labels several source photos", async () => {
    const { p } = provider();
    await p.generate(request({ sources: [source, source] }));
    const parts = fake.generateRequests()[0]!.body.contents[0].parts;
    expect(parts[1].text).toBe("Source photo 1 of 2 of the product:");
    expect(parts[3].text).toBe("Source photo 2 of 2 of the product:");
  });
});

describe("generate: Gemini declines", () => {
  it("GIVEN finishReason SAFETY THEN SAFETY_BLOCKED with the merchant message, not retried", async () => {
    const { p, clock } = provider();
    fake.next({ finishReason: "SAFETY" });
    const error = await failure(p.generate(request()));
    expect(error.code).toBe("SAFETY_BLOCKED");
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      "Gemini declined to generate this image for safety reasons. Try a different prompt or source photo.",
    );
    expect(error.finishReason).toBe("SAFETY");
    expect(fake.generateRequests()).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("GIVEN IMAGE_SAFETY (image withheld) THEN SAFETY_BLOCKED saying the image was withheld", async () => {
    const { p } = provider();
    fake.next({ finishReason: "IMAGE_SAFETY" });
    const error = await failure(p.generate(request()));
    expect(error.code).toBe("SAFETY_BLOCKED");
    expect(error.message).toMatch(/withheld/);
    expect(error.detail).toBe("finishReason=IMAGE_SAFETY");
  });

  it("GIVEN a prompt blocked for PROHIBITED_CONTENT THEN PROHIBITED_CONTENT with the block reason", async () => {
    const { p } = provider();
    fake.next({ promptBlocked: "PROHIBITED_CONTENT" });
    const error = await failure(p.generate(request()));
    expect(error.code).toBe("PROHIBITED_CONTENT");
    expect(error.blockReason).toBe("PROHIBITED_CONTENT");
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/prohibited content/);
    expect(fake.generateRequests()).toHaveLength(1);
  });

  it("GIVEN a prompt blocked for SAFETY THEN SAFETY_BLOCKED", async () => {
    const { p } = provider();
    fake.next({ promptBlocked: "SAFETY" });
    expect((await failure(p.generate(request()))).code).toBe("SAFETY_BLOCKED");
  });

  it("GIVEN a text-only answer THEN NO_IMAGE, keeping what the model said", async () => {
    const { p } = provider();
    fake.next({ textOnly: "I can only describe this product, not draw it." });
    const error = await failure(p.generate(request()));
    expect(error.code).toBe("NO_IMAGE");
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/text instead of an image/);
    expect(error.modelText).toBe("I can only describe this product, not draw it.");
    expect(fake.generateRequests()).toHaveLength(1);
  });

  it("maps every FinishReason of the official proto to a merchant-readable error", async () => {
    const require = createRequire(import.meta.url);
    const protoPath = require
      .resolve("@google-ai/generativelanguage/package.json")
      .replace(/package\.json$/, "build/protos/google/ai/generativelanguage/v1beta/generative_service.proto");
    const proto = readFileSync(protoPath, "utf8");
    const finishBlock = /enum FinishReason \{([\s\S]*?)\n {2}\}/.exec(proto)![1]!;
    const finishReasons = [...finishBlock.matchAll(/^\s+([A-Z_]+) = \d+;/gm)].map((m) => m[1]!);
    expect(finishReasons).toEqual(expect.arrayContaining(["SAFETY", "IMAGE_SAFETY", "NO_IMAGE", "IMAGE_OTHER", "SPII"]));
    const blockBlock = /message PromptFeedback \{[\s\S]*?enum BlockReason \{([\s\S]*?)\n {4}\}/.exec(proto)![1]!;
    const blockReasons = [...blockBlock.matchAll(/^\s+([A-Z_]+) = \d+;/gm)].map((m) => m[1]!);
    expect(blockReasons).toContain("PROHIBITED_CONTENT");

    for (const reason of finishReasons) expect(FINISH_REASON_OUTCOMES).toHaveProperty(reason);
    for (const reason of blockReasons) expect(BLOCK_REASON_OUTCOMES).toHaveProperty(reason);

    const { p } = provider();
    for (const reason of finishReasons.filter((r) => r !== "STOP")) {
      fake.next({ finishReason: reason });
      const error = await failure(p.generate(request()));
      expect(error.code, reason).not.toBe("UNKNOWN");
      expect(error.finishReason).toBe(reason);
      expect(error.message.length, reason).toBeGreaterThan(30);
      expect(error.message, reason).toMatch(/Try|Write|Remove|Rephrase|Change/);
    }
    for (const reason of blockReasons.filter((r) => r !== "BLOCK_REASON_UNSPECIFIED")) {
      fake.next({ promptBlocked: reason });
      const error = await failure(p.generate(request()));
      expect(["SAFETY_BLOCKED", "PROHIBITED_CONTENT"], reason).toContain(error.code);
      expect(error.blockReason).toBe(reason);
    }
  });

  it("GIVEN an image together with a blocking finish reason THEN the block wins", async () => {
    const { p } = provider();
    fake.next({ finishReason: "IMAGE_PROHIBITED_CONTENT", withImage: true });
    expect((await failure(p.generate(request()))).code).toBe("PROHIBITED_CONTENT");
  });

  it("GIVEN an image with finishReason MAX_TOKENS THEN the image is still returned", async () => {
    const { p } = provider();
    fake.next({ finishReason: "MAX_TOKENS", withImage: true });
    const result = await p.generate(request());
    expect(result.images).toHaveLength(1);
    expect(result.finishReason).toBe("MAX_TOKENS");
  });
});

describe("generate: retries, budget and timeouts", () => {
  it("GIVEN 429 with Retry-After: 2 THEN it waits ~2 s, retries once and succeeds (exactly 2 calls)", async () => {
    const { p, clock } = provider();
    fake.next({ status: 429, retryAfter: 2, retryDelay: null });
    const result = await p.generate(request());
    expect(result.images).toHaveLength(1);
    expect(fake.generateRequests()).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(2200);
    expect(result.timings.attempts).toBe(2);
    expect(result.timings.waitedMs).toBe(clock.sleeps[0]);
  });

  it("GIVEN 429 with only RetryInfo in the error details THEN that delay is honoured", async () => {
    const { p, clock } = provider();
    fake.next({ status: 429, retryDelay: "3s" });
    await p.generate(request());
    expect(fake.generateRequests()).toHaveLength(2);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(3000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(3300);
  });

  it("GIVEN 429 asking for longer than the budget allows THEN RATE_LIMITED at once, with retryAfterMs", async () => {
    const { p, clock } = provider({ retryBudgetMs: 5_000 });
    fake.next({ status: 429, retryDelay: "30s" });
    const error = await failure(p.generate(request()));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.message).toMatch(/Wait a minute and try again/);
    expect(fake.generateRequests()).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("GIVEN a daily quota 429 THEN QUOTA_EXHAUSTED, not retried", async () => {
    const { p } = provider();
    fake.next({ status: 429, quotaId: "GenerateRequestsPerDayPerProjectPerModel", retryDelay: "5s" });
    const error = await failure(p.generate(request()));
    expect(error.code).toBe("QUOTA_EXHAUSTED");
    expect(error.retryable).toBe(false);
    expect(fake.generateRequests()).toHaveLength(1);
  });

  it("GIVEN 503 on every call THEN backoff with full jitter until the budget is spent, then UPSTREAM_UNAVAILABLE", async () => {
    const { p, clock } = provider({ retryBudgetMs: 5_000, baseDelayMs: 1_000, maxDelayMs: 20_000 });
    fake.next(...Array.from({ length: 10 }, () => ({ status: 503 })));
    const error = await failure(p.generate(request()));
    expect(error.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(error.retryable).toBe(true);
    expect(error.message).toBe("Gemini is temporarily unavailable or overloaded. Try again in a few minutes.");
    expect(error.httpStatus).toBe(503);
    // random() = top of the window: 1 s, 2 s; the next (4 s) would end past 5 s.
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(error.attempts).toBe(3);
    expect(fake.generateRequests()).toHaveLength(3);
    expect(error.detail).toMatch(/gave up after 3 attempt/);
  });

  it("GIVEN 500, then a dropped connection, then success THEN it succeeds on the third call", async () => {
    const { p, clock } = provider();
    fake.next({ status: 500 }, { dropConnection: true });
    const result = await p.generate(request());
    expect(result.timings.attempts).toBe(3);
    expect(fake.generateRequests()).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it("GIVEN a hanging upstream THEN TIMEOUT after the configured per-request timeout, not retried", async () => {
    const { p } = provider({ requestTimeoutMs: 300 });
    fake.next({ hang: true });
    const started = Date.now();
    const error = await failure(p.generate(request()));
    const elapsed = Date.now() - started;
    expect(error.code).toBe("TIMEOUT");
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      "Gemini did not answer within 1 s. Try again; a lower resolution usually finishes faster.",
    );
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(2_000);
    expect(fake.generateRequests()).toHaveLength(1);
  });

  it("GIVEN the caller aborts THEN CANCELLED", async () => {
    const { p } = provider();
    fake.next({ hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(p.generate(request(), { signal: controller.signal }));
    expect(error.code).toBe("CANCELLED");
  });
});

describe("generate: key and request errors", () => {
  it("GIVEN a wrong API key THEN INVALID_API_KEY without retry", async () => {
    const { p, clock } = provider({ apiKey: "AIza-wrong" });
    const error = await failure(p.generate(request()));
    expect(error.code).toBe("INVALID_API_KEY");
    expect(error.retryable).toBe(false);
    expect(error.httpStatus).toBe(400);
    expect(error.detail).toMatch(/API_KEY_INVALID/);
    expect(error.message).toMatch(/API key was rejected/);
    expect(fake.generateRequests()).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("GIVEN a leaked key (403) THEN INVALID_API_KEY saying so", async () => {
    const { p } = provider();
    fake.next({ status: 403, message: "Your API key was reported as leaked. Please use another API key." });
    const error = await failure(p.generate(request()));
    expect(error.code).toBe("INVALID_API_KEY");
    expect(error.message).toMatch(/leaked/);
  });

  it("GIVEN a model the key cannot see THEN MODEL_NOT_FOUND", async () => {
    const narrow = await startGeminiFake({ imageModels: ["gemini-3.1-flash-image"] });
    try {
      const p = createGeminiProvider({ apiKey: narrow.apiKey, baseUrl: narrow.baseUrl, clock: virtualClock() });
      const error = await failure(p.generate(request({ model: "gemini-3-pro-image" })));
      expect(error.code).toBe("MODEL_NOT_FOUND");
      expect(error.detail).toMatch(/models\/gemini-3-pro-image is not found/);
      expect(narrow.generateRequests()).toHaveLength(1);
    } finally {
      await narrow.stop();
    }
  });

  it("GIVEN a 400 from Gemini THEN BAD_REQUEST with the upstream text in detail only", async () => {
    const { p } = provider();
    fake.next({ status: 400, message: "Unable to process input image." });
    const error = await failure(p.generate(request()));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).not.toMatch(/Unable to process/);
    expect(error.detail).toMatch(/Unable to process input image/);
    expect(fake.generateRequests()).toHaveLength(1);
  });

  it("GIVEN the per-minute quota of the key is used up THEN the next call is RATE_LIMITED with the wait", async () => {
    const limited = await startGeminiFake({ quotaPerMinute: 1 });
    try {
      const p = createGeminiProvider({
        apiKey: limited.apiKey,
        baseUrl: limited.baseUrl,
        clock: virtualClock(),
        retryBudgetMs: 5_000,
      });
      await p.generate(request());
      const error = await failure(p.generate(request()));
      expect(error.code).toBe("RATE_LIMITED");
      expect(error.retryAfterMs).toBeGreaterThan(50_000);
      expect(limited.generateRequests()).toHaveLength(2);
    } finally {
      await limited.stop();
    }
  });

  it("rejects invalid input before calling Gemini", async () => {
    const { p } = provider();
    const noSource = await failure(p.generate(request({ sources: [] })));
    expect(noSource.code).toBe("INVALID_INPUT");
    const badType = await failure(
      p.generate(request({ sources: [{ bytes: new Uint8Array([1]), mimeType: "image/gif" }] })),
    );
    expect(badType.message).toMatch(/JPEG, PNG, WebP or HEIC/);
    const badSize = await failure(p.generate(request({ resolution: "8K" as never })));
    expect(badSize.message).toMatch(/Resolution "8K" is not available/);
    const tooMany = await failure(p.generate(request({ sources: Array.from({ length: 15 }, () => source) })));
    expect(tooMany.message).toMatch(/at most 14 photos/);
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses to start without a key", () => {
    expect(() => createGeminiProvider({ apiKey: " " })).toThrow(/No Gemini API key/);
  });
});

describe("altText", () => {
  it("asks the text model with the image and title and returns clean text", async () => {
    const { p } = provider();
    fake.next({ text: '  "Red glass bottle with a white label on white marble."\n' });
    const text = await p.altText({ image: source, productTitle: "Red Bottle" });
    expect(text).toBe("Red glass bottle with a white label on white marble.");
    const [sent] = fake.requests;
    expect(sent!.path).toBe("/v1/models/gemini-3.5-flash-lite:generateContent");
    const parts = sent!.body.contents[0].parts;
    expect(parts[0].text).toMatch(/"Red Bottle"/);
    expect(parts[0].text).toMatch(/125 characters/);
    expect(parts[1].inlineData.mimeType).toBe("image/jpeg");
  });

  it("cuts long answers to 125 characters at a word boundary", async () => {
    const { p } = provider({ altTextModel: "gemini-3.1-flash-lite" });
    fake.next({ text: `Alt text: ${"A very detailed description of a bottle ".repeat(8)}` });
    const text = await p.altText({ image: source, productTitle: "Bottle" });
    expect(text.length).toBeLessThanOrEqual(125);
    expect(text.startsWith("A very detailed")).toBe(true);
    expect(text.endsWith(" ")).toBe(false);
    expect(fake.requests[0]!.model).toBe("gemini-3.1-flash-lite");
  });

  it("retries 503 and maps safety blocks like generate does", async () => {
    const { p } = provider();
    fake.next({ status: 503 });
    expect(await p.altText({ image: source, productTitle: "Bottle" })).toMatch(/bottle/i);
    expect(fake.requests).toHaveLength(2);
    fake.next({ promptBlocked: "SAFETY" });
    expect((await failure(p.altText({ image: source, productTitle: "Bottle" }))).code).toBe("SAFETY_BLOCKED");
  });
});

describe("validateApiKey", () => {
  it("GIVEN the right key THEN valid, with one free models.get call", async () => {
    expect(await validateApiKey(fake.apiKey, { baseUrl: fake.baseUrl })).toEqual({ status: "valid" });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.method).toBe("GET");
    expect(fake.requests[0]!.path).toBe("/v1/models/gemini-3.5-flash-image");
  });

  it("GIVEN a wrong key THEN invalid with INVALID_API_KEY", async () => {
    const check = await validateApiKey("AIza-not-a-key", { baseUrl: fake.baseUrl });
    expect(check.status).toBe("invalid");
    expect(check.status !== "valid" && check.error.code).toBe("INVALID_API_KEY");
  });

  it("GIVEN Google is overloaded THEN unknown (not 'invalid')", async () => {
    fake.next({ status: 503 });
    const check = await validateApiKey(fake.apiKey, { baseUrl: fake.baseUrl });
    expect(check.status).toBe("unknown");
  });

  it("GIVEN an empty key THEN invalid without any call", async () => {
    expect((await validateApiKey("  ", { baseUrl: fake.baseUrl })).status).toBe("invalid");
    expect(fake.requests).toHaveLength(0);
  });
});
