// The Gemini fake itself: its JSON must use the official field names, its errors Google's
// envelope. Checked over plain HTTP, independent of the SDK.

import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { type GeminiFake, startGeminiFake } from "../fakes/gemini/server";
import { productOnLightBackground } from "./fixtures";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON from the wire; the assertions check its shape
type WireJson = any;

let fake: GeminiFake;
let protoText: string;
let photo: string;

beforeAll(async () => {
  fake = await startGeminiFake();
  const require = createRequire(import.meta.url);
  const dir = require
    .resolve("@google-ai/generativelanguage/package.json")
    .replace(/package\.json$/, "build/protos/google/ai/generativelanguage/v1beta");
  protoText = readdirSync(dir)
    .filter((f) => f.endsWith(".proto"))
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");
  photo = Buffer.from((await productOnLightBackground({ width: 100, height: 100 })).bytes).toString("base64");
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.stop();
});

async function call(path: string, body?: unknown, key: string | null = fake.apiKey) {
  const response = await fetch(`${fake.baseUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(key ? { "x-goog-api-key": key } : {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as WireJson };
}

const generateBody = (extra: Record<string, unknown> = {}) => ({
  contents: [{ role: "user", parts: [{ text: "a photo" }, { inlineData: { mimeType: "image/jpeg", data: photo } }] }],
  generationConfig: { responseModalities: ["IMAGE"], imageConfig: { aspectRatio: "3:4", imageSize: "1K" } },
  ...extra,
});

/** Every object key in a JSON value, recursively. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, into));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  }
  return into;
}

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function expectProtoFields(json: unknown) {
  for (const key of keysOf(json)) {
    if (key === "@type") continue;
    expect(protoText, `field ${key}`).toMatch(new RegExp(`\\s${snake(key)} = \\d+`));
  }
}

describe("Gemini fake: responses use the proto's field names", () => {
  it("success, safety stop, prompt block, text-only, and model resources", async () => {
    const success = await call("/v1beta/models/gemini-3-pro-image:generateContent", generateBody());
    expect(success.status).toBe(200);
    expect(success.headers.get("content-type")).toMatch(/application\/json/);
    const part = success.json.candidates[0].content.parts.at(-1);
    expect(part.inlineData.mimeType).toBe("image/png");
    expect(Buffer.from(part.inlineData.data, "base64").subarray(1, 4).toString()).toBe("PNG");
    expect(success.json.candidates[0].finishReason).toBe("STOP");
    expect(success.json.usageMetadata).toMatchObject({
      promptTokenCount: expect.any(Number),
      candidatesTokenCount: 1120,
      totalTokenCount: expect.any(Number),
      thoughtsTokenCount: expect.any(Number),
    });
    expect(success.json.modelVersion).toBe("gemini-3-pro-image");
    expect(success.json.responseId).toEqual(expect.any(String));
    expectProtoFields(success.json);

    for (const behaviour of [
      { finishReason: "SAFETY" },
      { finishReason: "IMAGE_SAFETY" },
      { promptBlocked: "SAFETY" },
      { textOnly: "no image today" },
      { thoughtImage: true },
    ]) {
      fake.next(behaviour);
      const response = await call("/v1/models/gemini-3.1-flash-image:generateContent", generateBody());
      expect(response.status).toBe(200);
      expectProtoFields(response.json);
    }

    const model = await call("/v1beta/models/gemini-3.1-flash-image");
    expect(model.json.name).toBe("models/gemini-3.1-flash-image");
    expectProtoFields(model.json);
    const tokens = await call("/v1beta/models/gemini-3.5-flash-lite:countTokens", { contents: generateBody().contents });
    expect(tokens.json.totalTokens).toBeGreaterThan(1120);
  });

  it("answers text models with text", async () => {
    const response = await call("/v1/models/gemini-3.5-flash-lite:generateContent", {
      contents: generateBody().contents,
    });
    expect(response.json.candidates[0].content.parts[0].text).toMatch(/bottle/i);
  });
});

describe("Gemini fake: errors in Google's envelope", () => {
  it("wrong key -> 400 INVALID_ARGUMENT with ErrorInfo API_KEY_INVALID; no key -> 403", async () => {
    const wrong = await call("/v1beta/models/gemini-3.1-flash-image:generateContent", generateBody(), "nope");
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatchObject({
      code: 400,
      status: "INVALID_ARGUMENT",
      message: "API key not valid. Please pass a valid API key.",
      details: expect.arrayContaining([
        expect.objectContaining({ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" }),
      ]),
    });
    const missing = await call("/v1beta/models/gemini-3.1-flash-image:generateContent", generateBody(), null);
    expect(missing.status).toBe(403);
    expect(missing.json.error.status).toBe("PERMISSION_DENIED");
    const queryKey = await fetch(
      `${fake.baseUrl}/v1beta/models/gemini-3.1-flash-image?key=${encodeURIComponent(fake.apiKey)}`,
    );
    expect(queryKey.status).toBe(200);
  });

  it("unknown model -> 404 NOT_FOUND like Google", async () => {
    const response = await call("/v1beta/models/imagen-4.0-generate-001:generateContent", generateBody());
    expect(response.status).toBe(404);
    expect(response.json.error.status).toBe("NOT_FOUND");
    expect(response.json.error.message).toMatch(/models\/imagen-4.0-generate-001 is not found for API version v1beta/);
  });

  it("429 carries QuotaFailure, Help and RetryInfo, plus Retry-After when scripted", async () => {
    fake.next({ status: 429, retryAfter: 7, retryDelay: "7s" });
    const response = await call("/v1beta/models/gemini-3.1-flash-image:generateContent", generateBody());
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(response.json.error.status).toBe("RESOURCE_EXHAUSTED");
    const types = response.json.error.details.map((d: WireJson) => d["@type"]);
    expect(types).toEqual([
      "type.googleapis.com/google.rpc.QuotaFailure",
      "type.googleapis.com/google.rpc.Help",
      "type.googleapis.com/google.rpc.RetryInfo",
    ]);
    expect(response.json.error.details[2].retryDelay).toBe("7s");
  });

  it.each([
    [500, "INTERNAL"],
    [503, "UNAVAILABLE"],
    [504, "DEADLINE_EXCEEDED"],
  ])("%i -> %s", async (status, name) => {
    fake.next({ status });
    const response = await call("/v1beta/models/gemini-3.1-flash-image:generateContent", generateBody());
    expect(response.status).toBe(status);
    expect(response.json.error).toMatchObject({ code: status, status: name, message: expect.any(String) });
  });

  it("validates the request like the API: unknown fields, bad config, broken images, empty contents", async () => {
    const path = "/v1beta/models/gemini-3.1-flash-image:generateContent";
    const cases: [unknown, RegExp][] = [
      [generateBody({ imageConfig: {} }), /Unknown name "imageConfig"/],
      [{ ...generateBody(), generationConfig: { imageSize: "1K" } }, /Unknown name "imageSize" at 'generation_config'/],
      [{ ...generateBody(), generationConfig: { imageConfig: { aspectRatio: "7:3" } } }, /Unsupported aspect ratio/],
      [{ ...generateBody(), generationConfig: { imageConfig: { imageSize: "8K" } } }, /Unsupported image size/],
      [{ contents: [] }, /contents is not specified/],
      [
        { contents: [{ role: "user", parts: [{ inlineData: { mimeType: "image/png", data: "AAAA" } }] }] },
        /Unable to process input image/,
      ],
      [{ contents: [{ role: "user", parts: [{}] }] }, /oneof field 'data'/],
      ["{not json", /Invalid JSON payload/],
    ];
    for (const [body, message] of cases) {
      const response = await call(path, body);
      expect(response.status, String(message)).toBe(400);
      expect(response.json.error.status).toBe("INVALID_ARGUMENT");
      expect(response.json.error.message).toMatch(message);
    }
  });

  it("records every request, including rejected ones", async () => {
    await call("/v1beta/models/gemini-3.1-flash-image:generateContent", generateBody(), "bad");
    await call("/v1beta/models/gemini-3.1-flash-image:generateContent", generateBody());
    expect(fake.requests.map((r) => r.status)).toEqual([400, 200]);
    expect(fake.generateRequests()[1]!.body.generationConfig.imageConfig.aspectRatio).toBe("3:4");
  });

  it("enforces a per-minute quota when configured", async () => {
    let t = 1_000_000;
    const limited = await startGeminiFake({ quotaPerMinute: 2, now: () => t });
    try {
      const post = () =>
        fetch(`${limited.baseUrl}/v1beta/models/gemini-3.1-flash-image:generateContent`, {
          method: "POST",
          headers: { "x-goog-api-key": limited.apiKey },
          body: JSON.stringify(generateBody()),
        });
      expect((await post()).status).toBe(200);
      t += 10_000;
      expect((await post()).status).toBe(200);
      const third = await post();
      expect(third.status).toBe(429);
      const json = (await third.json()) as WireJson;
      expect(json.error.details.at(-1).retryDelay).toBe("50s");
      t += 51_000;
      expect((await post()).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
