// Caches for the API's hot path (docs/decisions/0008-hot-path-caches.md). They are only on
// where every write that could make an entry wrong is seen by this process:
//   - embedded default (PGlite: one process owns the database): writes invalidate directly;
//   - REDIS_URL set: writes also publish an invalidation that every process applies.
// With PostgreSQL and no Redis (several processes could share the database unseen) they are off.
import IORedis from "ioredis";

import { env } from "~/env.server";
import { withTimeout } from "~/timeout";

const CHANNEL = "lightbox:api-cache-invalidate";
const MAX_ENTRIES = 10_000;

type Invalidation = { kind: "token"; tokenId: string } | { kind: "shop"; shopId: string };

export class HotCache<V extends { shopId: string; tokenId?: string }> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly ttlMs: number;
  constructor(ttlMs: number) {
    this.ttlMs = ttlMs;
  }

  get(key: string, now = Date.now()): V | undefined {
    if (!cachesEnabled()) return undefined;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V, now = Date.now()): void {
    if (!cachesEnabled()) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
  }

  apply(invalidation: Invalidation): void {
    for (const [key, { value }] of this.entries) {
      if (invalidation.kind === "shop" ? value.shopId === invalidation.shopId : value.tokenId === invalidation.tokenId) {
        this.entries.delete(key);
      }
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

const caches: Array<HotCache<{ shopId: string; tokenId?: string }>> = [];
let enabled: boolean | undefined;
let publisher: IORedis | undefined;
let subscriber: IORedis | undefined;

export function registerHotCache<V extends { shopId: string; tokenId?: string }>(ttlMs: number): HotCache<V> {
  const cache = new HotCache<V>(ttlMs);
  caches.push(cache as unknown as HotCache<{ shopId: string; tokenId?: string }>);
  return cache;
}

function applyEverywhere(invalidation: Invalidation) {
  for (const cache of caches) cache.apply(invalidation);
}

/** Whether the caches may be used in this process (see the header comment). */
export function cachesEnabled(): boolean {
  if (enabled === undefined) {
    const { databaseUrl, redisUrl } = env();
    const singleProcessDatabase = !databaseUrl || databaseUrl.startsWith("memory:");
    enabled = singleProcessDatabase || Boolean(redisUrl);
    if (enabled && redisUrl && !singleProcessDatabase) {
      publisher = new IORedis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
      subscriber = new IORedis(redisUrl, { maxRetriesPerRequest: null });
      // Redis down: ioredis reconnects by itself; say so once a minute instead of an unhandled error per retry.
      for (const connection of [publisher, subscriber]) connection.on("error", warnRedisDown);
      void subscriber.subscribe(CHANNEL);
      subscriber.on("message", (_channel, message) => applyEverywhere(JSON.parse(message) as Invalidation));
    }
  }
  return enabled;
}

/** Call after a write that changes a token (revoke, delete). */
export async function invalidateToken(tokenId: string): Promise<void> {
  await invalidate({ kind: "token", tokenId });
}

/** Call after a write that changes what a shop's cached entries say (credits, uninstall). */
export async function invalidateShop(shopId: string): Promise<void> {
  await invalidate({ kind: "shop", shopId });
}

let warnedAt = 0;
function warnRedisDown(error: Error) {
  if (Date.now() - warnedAt < 60_000) return;
  warnedAt = Date.now();
  console.warn(`[cache] Redis unavailable, reconnecting (${error.message}); cached entries still expire by themselves`);
}

const PUBLISH_WAIT_MS = 1_000;

async function invalidate(invalidation: Invalidation) {
  applyEverywhere(invalidation);
  // Connect first if this process has not read a cache yet: the others may hold the entry.
  cachesEnabled();
  if (!publisher) return;
  // Never hold a revoke or a ledger write hostage to Redis: wait a moment, then log.
  try {
    await withTimeout(publisher.publish(CHANNEL, JSON.stringify(invalidation)), PUBLISH_WAIT_MS, "Redis");
  } catch (error) {
    console.error("[cache] could not tell other processes to drop an entry; theirs expire by themselves", error);
  }
}

/** Tests: forget everything and re-read the configuration. */
export function resetHotCaches(): void {
  for (const cache of caches) cache.clear();
  enabled = undefined;
}
