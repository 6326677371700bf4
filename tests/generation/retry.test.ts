import { describe, expect, it } from "vitest";

import { GenerationError } from "~/generation/errors";
import {
  mapGoogleError,
  parseDuration,
  parseGoogleError,
  parseRetryAfter,
} from "~/generation/gemini.server";
import { backoffDelay, runWithRetry, systemClock } from "~/generation/retry";

import { virtualClock } from "./helpers";

const policy = { budgetMs: 10_000, baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 10 };

describe("backoffDelay", () => {
  it("uses full jitter in [0, min(max, base * 2^(n-1)))", () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(0);
    expect(backoffDelay(1, policy, () => 0.5)).toBe(500);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(2000);
    expect(backoffDelay(10, policy, () => 0.999)).toBeLessThanOrEqual(8000);
  });

  it("honours a server hint as a floor, with at most 10 % (max 1 s) extra", () => {
    expect(backoffDelay(1, policy, () => 0, 2000)).toBe(2000);
    expect(backoffDelay(1, policy, () => 0.999, 2000)).toBeLessThanOrEqual(2200);
    expect(backoffDelay(1, policy, () => 0.999, 60_000)).toBeLessThanOrEqual(61_000);
  });
});

describe("runWithRetry", () => {
  const retryable = () => new GenerationError("UPSTREAM_UNAVAILABLE");

  it("returns the first success with the attempt count and time waited", async () => {
    const clock = virtualClock(0.5);
    let calls = 0;
    const outcome = await runWithRetry(
      async () => {
        calls++;
        if (calls < 3) throw retryable();
        return "ok";
      },
      { policy, clock, shouldRetry: () => true },
    );
    expect(outcome).toEqual({ value: "ok", attempts: 3, waitedMs: 500 + 1000 });
  });

  it("does not retry what shouldRetry refuses", async () => {
    const clock = virtualClock();
    let calls = 0;
    const error = await runWithRetry(
      async () => {
        calls++;
        throw new GenerationError("SAFETY_BLOCKED");
      },
      { policy, clock, shouldRetry: (e) => e.code === "UPSTREAM_UNAVAILABLE" },
    ).then(
      () => undefined as never,
      (e: GenerationError) => e,
    );
    expect(calls).toBe(1);
    expect(error.code).toBe("SAFETY_BLOCKED");
    expect(error.attempts).toBe(1);
  });

  it("stops when the next wait would end past the budget", async () => {
    const clock = virtualClock(); // top of each window: 1, 2, 4, 8 s
    let calls = 0;
    const error = await runWithRetry(
      async () => {
        calls++;
        throw retryable();
      },
      { policy, clock, shouldRetry: () => true },
    ).then(
      () => undefined as never,
      (e: GenerationError) => e,
    );
    expect(clock.sleeps).toEqual([1000, 2000, 4000]); // 7 s; another 8 s would pass 10 s
    expect(calls).toBe(4);
    expect(error.attempts).toBe(4);
  });

  it("respects maxAttempts", async () => {
    let calls = 0;
    await runWithRetry(
      async () => {
        calls++;
        throw retryable();
      },
      { policy: { ...policy, maxAttempts: 2 }, clock: virtualClock(0), shouldRetry: () => true },
    ).catch(() => undefined);
    expect(calls).toBe(2);
  });

  it("wraps foreign errors as UNKNOWN", async () => {
    const error = await runWithRetry(
      async () => {
        throw new TypeError("boom");
      },
      { policy, clock: virtualClock(), shouldRetry: () => false },
    ).then(
      () => undefined as never,
      (e: GenerationError) => e,
    );
    expect(error).toBeInstanceOf(GenerationError);
    expect(error.code).toBe("UNKNOWN");
  });

  it("turns an abort during the wait into CANCELLED (real clock)", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const error = await runWithRetry(
      async () => {
        throw new GenerationError("RATE_LIMITED", { retryAfterMs: 5_000 });
      },
      { policy, clock: systemClock, shouldRetry: () => true, signal: controller.signal },
    ).then(
      () => undefined as never,
      (e: GenerationError) => e,
    );
    expect(error.code).toBe("CANCELLED");
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe("Google error envelope", () => {
  it("parses ErrorInfo, RetryInfo and QuotaFailure", () => {
    const info = parseGoogleError(
      429,
      JSON.stringify({
        error: {
          code: 429,
          message: "You exceeded your current quota",
          status: "RESOURCE_EXHAUSTED",
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.QuotaFailure",
              violations: [{ quotaId: "GenerateRequestsPerMinutePerProjectPerModel" }],
            },
            { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "43s" },
          ],
        },
      }),
    );
    expect(info).toMatchObject({
      httpStatus: 429,
      status: "RESOURCE_EXHAUSTED",
      retryDelayMs: 43_000,
      quotaIds: ["GenerateRequestsPerMinutePerProjectPerModel"],
    });
  });

  it("survives bodies that are not JSON (proxies, HTML error pages)", () => {
    const info = parseGoogleError(502, "<html>Bad Gateway</html>");
    expect(info.message).toBe("<html>Bad Gateway</html>");
    expect(mapGoogleError(info).code).toBe("UPSTREAM_UNAVAILABLE");
  });

  it("parses Durations and Retry-After headers", () => {
    expect(parseDuration("2s")).toBe(2000);
    expect(parseDuration("0.250s")).toBe(250);
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseRetryAfter("3", 0)).toBe(3000);
    const now = Date.parse("2026-11-22T10:00:00Z");
    expect(parseRetryAfter("Sun, 22 Nov 2026 10:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("garbage", now)).toBeUndefined();
  });

  it.each([
    [400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", "API_KEY_INVALID", "INVALID_API_KEY"],
    [400, "INVALID_ARGUMENT", "API key expired. Please renew the API key.", "API_KEY_INVALID", "INVALID_API_KEY"],
    [401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", undefined, "INVALID_API_KEY"],
    [403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity).", undefined, "INVALID_API_KEY"],
    [403, "PERMISSION_DENIED", "Generative Language API has not been used in project 1 before or it is disabled.", "SERVICE_DISABLED", "PERMISSION_DENIED"],
    [400, "FAILED_PRECONDITION", "User location is not supported for the API use.", undefined, "PERMISSION_DENIED"],
    [404, "NOT_FOUND", "models/x is not found for API version v1", undefined, "MODEL_NOT_FOUND"],
    [400, "INVALID_ARGUMENT", "Request contains an invalid argument.", undefined, "BAD_REQUEST"],
    [413, "", "Request Entity Too Large", undefined, "INVALID_INPUT"],
    [429, "RESOURCE_EXHAUSTED", "Quota exceeded for metric: x, limit: 0, model: gemini-3-pro-image", undefined, "QUOTA_EXHAUSTED"],
    [429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", undefined, "RATE_LIMITED"],
    [500, "INTERNAL", "An internal error has occurred.", undefined, "UPSTREAM_UNAVAILABLE"],
    [503, "UNAVAILABLE", "The model is overloaded. Please try again later.", undefined, "UPSTREAM_UNAVAILABLE"],
    [504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete.", undefined, "UPSTREAM_UNAVAILABLE"],
  ])("HTTP %i %s %j -> %s", (httpStatus, status, message, reason, code) => {
    const error = mapGoogleError({ httpStatus, status: status || undefined, message, reason, quotaIds: [] });
    expect(error.code).toBe(code);
    expect(error.httpStatus).toBe(httpStatus);
    expect(error.detail).toContain(message);
    expect(error.message).not.toContain(message); // merchant text, not Google's
  });
});
