// The Gemini pace per key: never more starts in a rolling 61 s than the rate, a 429 cuts the
// rate by a quarter and pauses the key, calm periods give the rate back. The same behaviour in
// memory (embedded) and in Redis (several workers share one window).
import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { memoryPace, redisPace, type GeminiPace } from "~/generation/pace.server";

import { testRedisUrl } from "../helpers/redis";

const redisUrl = await testRedisUrl();
const opened: Array<{ close(): void }> = [];
afterAll(() => opened.forEach((pace) => pace.close()));

type Make = (rate: number, now: () => number) => GeminiPace;
const backends: Array<[string, Make | null]> = [
  ["memory", (rate, now) => memoryPace(rate, now)],
  [
    "redis",
    redisUrl
      ? (rate, now) => {
          const pace = redisPace(redisUrl, rate, { prefix: `test:pace:${randomUUID()}:`, now });
          opened.push(pace);
          return pace;
        }
      : null,
  ],
];

describe.each(backends)("Gemini pace (%s)", (_name, make) => {
  const clock = () => {
    const state = { at: 1_000_000 };
    return { now: () => state.at, advance: (ms: number) => (state.at += ms) };
  };

  it.skipIf(!make)("GIVEN 10 images per minute THEN the 11th start waits until the first leaves the 61 s window", async () => {
    const time = clock();
    const pace = make!(10, time.now);
    for (let i = 0; i < 10; i++) {
      expect(await pace.take("k")).toBe(0);
      time.advance(1_000);
    }
    // The first start was 10 s ago: it leaves the window 51 s from now.
    expect(await pace.take("k")).toBe(51_000);
    time.advance(50_999);
    expect(await pace.take("k")).toBeGreaterThan(0);
    time.advance(1);
    expect(await pace.take("k")).toBe(0);
    expect((await pace.state("k")).inWindow).toBe(10);
    // Another key has a window of its own.
    expect(await pace.take("other")).toBe(0);
  });

  it.skipIf(!make)("GIVEN a 429 THEN the key pauses for the advised delay at three quarters of its rate, and calm periods give it back", async () => {
    const time = clock();
    const pace = make!(20, time.now);
    await pace.rateLimited("k", 5_000);
    expect(await pace.state("k")).toMatchObject({ rate: 15 });
    expect(await pace.take("k")).toBe(5_000);
    time.advance(5_000);
    for (let i = 0; i < 15; i++) expect(await pace.take("k")).toBe(0);
    expect(await pace.take("k")).toBeGreaterThan(0);

    // 20 s after the 429: a tenth of the configured rate (2) comes back; 40 s more: all of it.
    time.advance(15_000);
    expect(await pace.take("k")).toBe(0);
    expect((await pace.state("k")).rate).toBe(17);
    time.advance(40_000);
    await pace.take("k");
    expect((await pace.state("k")).rate).toBe(20);
  });

  it.skipIf(!make)("GIVEN the calls in flight all answer 429 at once THEN the rate is cut once, not once per call", async () => {
    const time = clock();
    const pace = make!(60, time.now);
    for (let i = 0; i < 16; i++) await pace.rateLimited("k", 2_000);
    expect((await pace.state("k")).rate).toBe(45);
    time.advance(10_000);
    await pace.rateLimited("k", 2_000);
    expect((await pace.state("k")).rate).toBe(33);
  });

  it.skipIf(!make)("GIVEN 429s again and again THEN the rate never drops below one image per minute", async () => {
    const time = clock();
    const pace = make!(4, time.now);
    for (let i = 0; i < 10; i++) {
      await pace.rateLimited("k", 0);
      time.advance(10_000);
    }
    expect((await pace.state("k")).rate).toBe(1);
    // A pause is at least a second, whatever the advised delay.
    await pace.rateLimited("k", 0);
    expect(await pace.take("k")).toBe(1_000);
  });
});

describe("Gemini pace in Redis while Redis is down", () => {
  it("GIVEN Redis does not answer THEN generations are still paced, in this process, at the configured rate", async () => {
    const state = { at: 1_000_000 };
    // Nothing listens on port 1.
    const pace = redisPace("redis://127.0.0.1:1", 3, { now: () => state.at });
    opened.push(pace);
    expect(await pace.take("k")).toBe(0);
    expect(await pace.take("k")).toBe(0);
    expect(await pace.take("k")).toBe(0);
    expect(await pace.take("k")).toBe(61_000);
    await pace.rateLimited("k", 5_000);
    expect(await pace.take("k")).toBe(5_000);
  });
});
