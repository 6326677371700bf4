// Per-token rate limits with a sliding window counter: the count of the current fixed window
// plus the previous window's count weighted by how much of it still overlaps the sliding window.
// O(1) state per key, smooth at window edges, and the same arithmetic in both backends:
//   memory  -> a Map in this process (the embedded, single-process default);
//   Redis   -> two counters per key, read and bumped atomically by a Lua script, so the limit
//              holds across web processes. See docs/decisions/0042-*.
import IORedis from "ioredis";

export type RateLimitRule = { limit: number; windowMs: number };

export type RateLimitDecision = {
  allowed: boolean;
  limit: number;
  /** Requests left right now (after this one, when it was allowed). */
  remaining: number;
  /** Seconds until the current window ends (RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds until a request would be allowed again (Retry-After), when refused. */
  retryAfterSeconds: number;
};

export interface RateLimiter {
  readonly kind: "memory" | "redis";
  /** Counts one request (when allowed) and decides. */
  hit(key: string, rule: RateLimitRule, nowMs?: number): Promise<RateLimitDecision>;
  /** Decides whether one more would be allowed, counting nothing (e.g. a gate before the work that is counted). */
  peek(key: string, rule: RateLimitRule, nowMs?: number): Promise<RateLimitDecision>;
  close?(): Promise<void>;
}

type Counts = { current: number; previous: number };

function estimate(counts: Counts, elapsedMs: number, windowMs: number): number {
  return counts.previous * (1 - elapsedMs / windowMs) + counts.current;
}

/** Milliseconds from now until one more request fits under the limit. */
function waitMs(counts: Counts, elapsedMs: number, rule: RateLimitRule): number {
  const { limit, windowMs } = rule;
  const room = limit - 1;
  // Later in this window, as the previous window's weight decays.
  if (counts.current <= room && counts.previous > 0) {
    const at = windowMs * (1 - (room - counts.current) / counts.previous);
    if (at < windowMs) return Math.max(0, at - elapsedMs);
  }
  // In the next window, where this window's count becomes the decaying one.
  const toNext = windowMs - elapsedMs;
  return toNext + (counts.current > room ? windowMs * (1 - room / counts.current) : 0);
}

/** The decision for counts read BEFORE this request (and whether it was then counted). */
export function decide(before: Counts, elapsedMs: number, rule: RateLimitRule): RateLimitDecision {
  const used = estimate(before, elapsedMs, rule.windowMs);
  const allowed = used + 1 <= rule.limit;
  const resetSeconds = Math.max(1, Math.ceil((rule.windowMs - elapsedMs) / 1000));
  if (!allowed) {
    return {
      allowed,
      limit: rule.limit,
      remaining: 0,
      resetSeconds,
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs(before, elapsedMs, rule) / 1000)),
    };
  }
  return { allowed, limit: rule.limit, remaining: Math.max(0, Math.floor(rule.limit - used - 1)), resetSeconds, retryAfterSeconds: 0 };
}

function windowOf(nowMs: number, windowMs: number) {
  const start = Math.floor(nowMs / windowMs) * windowMs;
  return { start, elapsed: nowMs - start };
}

export function createMemoryRateLimiter(): RateLimiter {
  // Each entry keeps its rule's window: one limiter serves rules of different windows (minutes, hours).
  const state = new Map<string, { start: number; current: number; previous: number; windowMs: number }>();
  let sweptAt = 0;
  const check = (key: string, rule: RateLimitRule, nowMs: number, count: boolean) => {
    const { start, elapsed } = windowOf(nowMs, rule.windowMs);
    let entry = state.get(key);
    if (!entry || entry.start < start - rule.windowMs) entry = { start, current: 0, previous: 0, windowMs: rule.windowMs };
    else if (entry.start < start) entry = { start, current: 0, previous: entry.current, windowMs: rule.windowMs };
    const decision = decide(entry, elapsed, rule);
    if (!count) return decision;
    if (decision.allowed) entry.current += 1;
    state.set(key, entry);
    return decision;
  };
  return {
    kind: "memory",
    async peek(key, rule, nowMs = Date.now()) {
      return check(key, rule, nowMs, false);
    },
    async hit(key, rule, nowMs = Date.now()) {
      const decision = check(key, rule, nowMs, true);
      // Forget idle keys now and then so the map cannot grow without bound.
      if (nowMs - sweptAt > 120_000) {
        sweptAt = nowMs;
        for (const [k, v] of state) if (v.start < windowOf(nowMs, v.windowMs).start - v.windowMs) state.delete(k);
      }
      return decision;
    },
  };
}

// KEYS[1] current window counter, KEYS[2] previous window counter.
// ARGV[1] limit, ARGV[2] window ms, ARGV[3] ms elapsed in the current window, ARGV[4] "1" to count.
// Returns {allowed (0/1), current before, previous}; counts only allowed requests.
const SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
if previous * (1 - elapsed / window) + current + 1 > limit then
  return {0, current, previous}
end
if ARGV[4] ~= '1' then
  return {1, current, previous}
end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], window * 2)
return {1, current, previous}
`;

export type RedisRateLimiterOptions = {
  redisUrl: string;
  keyPrefix?: string;
  /** Give up on Redis after this long and let the request through (fail open). */
  timeoutMs?: number;
};

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const prefix = options.keyPrefix ?? "lightbox:ratelimit:";
  const redis = new IORedis(options.redisUrl, {
    maxRetriesPerRequest: 1,
    commandTimeout: options.timeoutMs ?? 500,
    enableOfflineQueue: true,
    lazyConnect: true,
  });
  redis.on("error", () => undefined); // reported per request below, not as an unhandled event
  redis.defineCommand("lightboxRateLimit", { numberOfKeys: 2, lua: SCRIPT });
  let warnedAt = 0;

  const check = async (key: string, rule: RateLimitRule, nowMs: number, count: boolean): Promise<RateLimitDecision> => {
      const { start, elapsed } = windowOf(nowMs, rule.windowMs);
      try {
        const run = (redis as unknown as Record<string, (...args: unknown[]) => Promise<[number, number, number]>>).lightboxRateLimit!;
        const [, current, previous] = await run.call(
          redis,
          `${prefix}${key}:${start}`,
          `${prefix}${key}:${start - rule.windowMs}`,
          rule.limit,
          rule.windowMs,
          elapsed,
          count ? "1" : "0",
        );
        return decide({ current, previous }, elapsed, rule);
      } catch (error) {
        // A rate limiter must not take the API down with it: let the request through, say so.
        if (nowMs - warnedAt > 60_000) {
          warnedAt = nowMs;
          console.warn(`[api] rate limiter: Redis unavailable, allowing requests (${(error as Error).message})`);
        }
        return { allowed: true, limit: rule.limit, remaining: rule.limit, resetSeconds: Math.ceil((rule.windowMs - elapsed) / 1000), retryAfterSeconds: 0 };
      }
  };

  return {
    kind: "redis",
    hit: (key, rule, nowMs = Date.now()) => check(key, rule, nowMs, true),
    peek: (key, rule, nowMs = Date.now()) => check(key, rule, nowMs, false),
    async close() {
      redis.disconnect();
    },
  };
}
