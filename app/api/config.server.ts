// Settings of the public API that deployments or tests may change. Defaults suit the embedded
// app; the composition root (or a test) calls `configureApi` once.
import { env } from "~/env.server";

import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from "./rate-limit.server";

export type ApiConfig = {
  /** Requests per token per window (sliding window). */
  rateLimit: { limit: number; windowMs: number };
  /** Requests per shop per window, all of its tokens together (a shop may hold 50 tokens). */
  shopRateLimit: { limit: number; windowMs: number };
  /** Failed authentications per client IP per window; past it, that IP is refused before any token lookup or log row. */
  authFailureLimit: { limit: number; windowMs: number };
  /** Where rate-limit counters live; default: Redis when REDIS_URL is set, else this process. */
  rateLimiter?: RateLimiter;
  /** Outbound webhooks: allow URLs on private, loopback and link-local networks (tests, dev). */
  webhooks: { allowPrivateNetworks: boolean; timeoutMs: number };
  /** How long an Idempotency-Key is remembered, and when an unfinished request counts as dead. */
  idempotency: { ttlMs: number; inFlightTimeoutMs: number };
  /** Request log retention (the scheduled purge deletes older rows). */
  logRetentionMs: number;
  /** Request log rows are written in batches at most this late (0: each before its response). */
  logFlushMs: number;
};

function defaults(): ApiConfig {
  const { apiRateLimitPerMinute, apiShopRateLimitPerMinute, apiAuthFailuresPerIpPerMinute, apiWebhooksAllowPrivateNetworks } = env();
  return {
    rateLimit: { limit: apiRateLimitPerMinute, windowMs: 60_000 },
    shopRateLimit: { limit: apiShopRateLimitPerMinute, windowMs: 60_000 },
    authFailureLimit: { limit: apiAuthFailuresPerIpPerMinute, windowMs: 60_000 },
    webhooks: { allowPrivateNetworks: apiWebhooksAllowPrivateNetworks, timeoutMs: 10_000 },
    idempotency: { ttlMs: 24 * 3_600_000, inFlightTimeoutMs: env().apiIdempotencyInFlightMs },
    logRetentionMs: 30 * 86_400_000,
    logFlushMs: env().nodeEnv === "test" ? 0 : 100,
  };
}

let config: ApiConfig | undefined;
let defaultLimiter: RateLimiter | undefined;

export function apiConfig(): ApiConfig {
  config ??= defaults();
  return config;
}

/** Overrides parts of the config; `configureApi()` with no argument restores the defaults. */
export function configureApi(patch?: Partial<ApiConfig>): ApiConfig {
  config = patch ? { ...apiConfig(), ...patch } : defaults();
  return config;
}

export function apiRateLimiter(): RateLimiter {
  const { rateLimiter } = apiConfig();
  if (rateLimiter) return rateLimiter;
  if (!defaultLimiter) {
    const { redisUrl } = env();
    defaultLimiter = redisUrl ? createRedisRateLimiter({ redisUrl }) : createMemoryRateLimiter();
  }
  return defaultLimiter;
}
