// Pacing Gemini per API key at its images-per-minute quota. Lightbox's own key serves every shop
// without one, so its pace is shared by all of them; a shop's own key has a pace of its own.
//
// A sliding window: an image may start when fewer than `rate` images started in the last 61 s
// (Google counts a rolling minute; the extra second absorbs the time a request takes to arrive,
// so the quota never sees one too many). `rate` starts at GEMINI_IMAGES_PER_MINUTE and adapts: a
// 429 cuts it by a quarter (at most once per 10 s: the calls in flight answer 429 together) and
// pauses the key for the advised delay (another process or app may share the quota, or the
// project's real quota is lower); every 20 s without a 429 gives back a tenth of the configured
// rate. Generations never fail for being paced: the job waits off its
// worker slot (DeferJobError) and comes back when the key has room. See docs/decisions/0056.
//
// One process (embedded): the window lives in memory. With REDIS_URL (several workers) it lives
// in Redis and one Lua script takes a slot atomically, so every worker sees the same window.
import IORedis from "ioredis";

import { env } from "~/env.server";

const WINDOW_MS = 61_000;
const RECOVER_EVERY_MS = 20_000;
/** What a 429 leaves of the rate. */
const BACK_OFF = 0.75;
/**
 * One cut per this long: the calls already in flight when the first 429 came answer 429 too
 * (16 of them would otherwise leave 1% of the rate); they only extend the pause.
 */
const CUT_COOLDOWN_MS = 10_000;

export type PaceState = { rate: number; inWindow: number; pausedUntil: number };

export interface GeminiPace {
  /**
   * Takes a start slot for one image now and returns 0, or returns how many ms to wait before a
   * slot may be free (nothing taken).
   */
  take(key: string): Promise<number>;
  /** Gemini answered 429 for this key: cut its rate by a quarter and pause it for `retryAfterMs`. */
  rateLimited(key: string, retryAfterMs: number): Promise<void>;
  state(key: string): Promise<PaceState>;
  /** Forget every key (tests). */
  reset(): Promise<void>;
}

type Clock = () => number;

type KeyState = { starts: number[]; rate: number; pausedUntil: number; calmSince: number; cutAt: number };

/** In-process pace (the embedded default: one process runs every job). */
export function memoryPace(configuredRate: number, now: Clock = Date.now): GeminiPace {
  const keys = new Map<string, KeyState>();
  const stateOf = (key: string, at: number): KeyState => {
    let state = keys.get(key);
    if (!state) {
      state = { starts: [], rate: configuredRate, pausedUntil: 0, calmSince: at, cutAt: -Infinity };
      keys.set(key, state);
    }
    while (state.starts.length > 0 && state.starts[0]! <= at - WINDOW_MS) state.starts.shift();
    // Recover a tenth of the configured rate per calm period.
    if (state.rate < configuredRate && at - state.calmSince >= RECOVER_EVERY_MS) {
      const minutes = Math.floor((at - state.calmSince) / RECOVER_EVERY_MS);
      state.rate = Math.min(configuredRate, state.rate + Math.max(1, Math.round(configuredRate / 10)) * minutes);
      state.calmSince += minutes * RECOVER_EVERY_MS;
    }
    return state;
  };
  return {
    async take(key) {
      const at = now();
      const state = stateOf(key, at);
      if (state.pausedUntil > at) return state.pausedUntil - at;
      if (state.starts.length < state.rate) {
        state.starts.push(at);
        return 0;
      }
      // The oldest start that must leave the window before one more fits.
      const oldest = state.starts[state.starts.length - state.rate]!;
      return Math.max(1, oldest + WINDOW_MS - at);
    },
    async rateLimited(key, retryAfterMs) {
      const at = now();
      const state = stateOf(key, at);
      if (at - state.cutAt >= CUT_COOLDOWN_MS) {
        state.rate = Math.max(1, Math.floor(state.rate * BACK_OFF));
        state.cutAt = at;
      }
      state.pausedUntil = Math.max(state.pausedUntil, at + Math.max(1_000, retryAfterMs));
      state.calmSince = at;
    },
    async state(key) {
      const at = now();
      const state = stateOf(key, at);
      return { rate: state.rate, inWindow: state.starts.length, pausedUntil: state.pausedUntil };
    },
    async reset() {
      keys.clear();
    },
  };
}

// KEYS[1] sorted set of start times, KEYS[2] hash { rate, pausedUntil, calmSince }.
// ARGV: now, configured rate, window ms, recover ms, member id. Returns the wait in ms (0: taken).
const TAKE = `
local now = tonumber(ARGV[1]); local configured = tonumber(ARGV[2])
local window = tonumber(ARGV[3]); local recover = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local rate = tonumber(redis.call('HGET', KEYS[2], 'rate') or configured)
local paused = tonumber(redis.call('HGET', KEYS[2], 'pausedUntil') or 0)
local calm = tonumber(redis.call('HGET', KEYS[2], 'calmSince') or now)
if rate < configured and now - calm >= recover then
  local minutes = math.floor((now - calm) / recover)
  rate = math.min(configured, rate + math.max(1, math.floor(configured / 10 + 0.5)) * minutes)
  calm = calm + minutes * recover
  redis.call('HSET', KEYS[2], 'rate', rate, 'calmSince', calm)
end
redis.call('PEXPIRE', KEYS[2], 3600000)
if paused > now then return paused - now end
local count = redis.call('ZCARD', KEYS[1])
if count < rate then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], count - rate, count - rate, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

// KEYS[1] hash. ARGV: now, configured rate, pause until, back-off factor, cut cooldown ms.
const LIMITED = `
local now = tonumber(ARGV[1]); local configured = tonumber(ARGV[2])
local rate = tonumber(redis.call('HGET', KEYS[1], 'rate') or configured)
local paused = tonumber(redis.call('HGET', KEYS[1], 'pausedUntil') or 0)
local cut = tonumber(redis.call('HGET', KEYS[1], 'cutAt') or (now - tonumber(ARGV[5])))
if now - cut >= tonumber(ARGV[5]) then
  rate = math.max(1, math.floor(rate * tonumber(ARGV[4])))
  cut = now
end
redis.call('HSET', KEYS[1], 'rate', rate, 'pausedUntil', math.max(paused, tonumber(ARGV[3])), 'calmSince', now, 'cutAt', cut)
redis.call('PEXPIRE', KEYS[1], 3600000)
return rate
`;

/**
 * Shared pace for several worker processes (REDIS_URL). While Redis does not answer, each process
 * paces on its own in memory (generations go on; Gemini's 429s still slow them down) and says so
 * once per outage.
 */
export function redisPace(redisUrl: string, configuredRate: number, options: { prefix?: string; now?: Clock } = {}): GeminiPace & { close(): void } {
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  redis.on("error", () => undefined); // reported below, once per outage
  const prefix = options.prefix ?? "lightbox:gemini-pace:";
  const now = options.now ?? Date.now;
  const local = memoryPace(configuredRate, now);
  let outage = false;
  let failedAt = -Infinity;
  const orLocal = async <T>(shared: () => Promise<T>, fallback: () => Promise<T>): Promise<T> => {
    // During an outage, ask Redis again every 2 s, not on every call.
    if (outage && Date.now() - failedAt < 2_000) return fallback();
    try {
      const value = await shared();
      if (outage) console.warn("[pace] Redis answers again: the Gemini pace is shared by every worker again");
      outage = false;
      return value;
    } catch (error) {
      if (!outage) console.warn(`[pace] Redis unavailable (${(error as Error).message}): pacing Gemini in this process until it answers`);
      outage = true;
      failedAt = Date.now();
      return fallback();
    }
  };
  let sequence = 0;
  const keysOf = (key: string) => [`${prefix}${key}:starts`, `${prefix}${key}:state`] as const;
  return {
    take: (key) =>
      orLocal(
        async () => {
          const [starts, state] = keysOf(key);
          const member = `${now()}-${process.pid}-${sequence++}`;
          return Number(await redis.eval(TAKE, 2, starts, state, now(), configuredRate, WINDOW_MS, RECOVER_EVERY_MS, member));
        },
        () => local.take(key),
      ),
    rateLimited: (key, retryAfterMs) =>
      orLocal(
        async () => {
          const at = now();
          await redis.eval(LIMITED, 1, keysOf(key)[1], at, configuredRate, at + Math.max(1_000, retryAfterMs), BACK_OFF, CUT_COOLDOWN_MS);
        },
        () => local.rateLimited(key, retryAfterMs),
      ),
    async state(key) {
      const [starts, state] = keysOf(key);
      const at = now();
      const [count, fields] = await Promise.all([redis.zcount(starts, at - WINDOW_MS, "+inf"), redis.hgetall(state)]);
      return { rate: Number(fields.rate ?? configuredRate), inWindow: count, pausedUntil: Number(fields.pausedUntil ?? 0) };
    },
    async reset() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await local.reset();
    },
    close() {
      redis.disconnect();
    },
  };
}

let current: GeminiPace | undefined;

/** The process's pace: in Redis when REDIS_URL is set (jobs on several workers), else in memory. */
export function geminiPace(): GeminiPace {
  const { redisUrl, geminiImagesPerMinute } = env();
  current ??= redisUrl ? redisPace(redisUrl, geminiImagesPerMinute) : memoryPace(geminiImagesPerMinute);
  return current;
}

/** Tests and benchmarks: use this pace (undefined: build from the environment again). */
export function setGeminiPace(pace: GeminiPace | undefined): void {
  current = pace;
}

/** Which quota a generation draws on: Lightbox's key, a shop's own key, or none (offline). */
export function paceKey(generation: { provider: string; usedOwnKey: boolean; shopId: string }): string | null {
  if (generation.provider !== "gemini") return null;
  return generation.usedOwnKey ? `shop:${generation.shopId}` : "service";
}
