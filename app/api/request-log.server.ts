// The API request log: one row per request a shop can be named for (a valid, revoked or
// expired token), with the route pattern rather than the raw path (no ids or query strings in
// the log). The merchant reads it in Settings > API; rows older than 30 days are purged.
import type { Db } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";

export type RequestLogEntry = {
  id: string;
  shopId: string;
  tokenId: string | null;
  method: string;
  route: string;
  status: number;
  durationMs: number;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
};

const MAX_BATCH = 2_000;
let pending: { db: Db; rows: RequestLogEntry[] } | null = null;
let timer: NodeJS.Timeout | null = null;
let flushing: Promise<void> = Promise.resolve();

function clean(entry: RequestLogEntry): RequestLogEntry {
  return { ...entry, userAgent: entry.userAgent?.slice(0, 500) ?? null, ip: entry.ip?.slice(0, 64) ?? null };
}

/**
 * One row per request. With `logFlushMs` > 0 (the default outside tests) rows are written in
 * batches at most that many milliseconds later, one INSERT per batch, so logging costs the
 * request almost nothing; `flushRequestLogs()` (called on shutdown) writes what is pending.
 * A crash can lose at most that window of log rows (docs/decisions/0008-hot-path-caches.md).
 */
export async function writeRequestLog(db: Db, entry: RequestLogEntry, flushMs = 0): Promise<void> {
  if (flushMs <= 0) {
    await db.apiRequestLog.createMany({ data: [clean(entry)] });
    return;
  }
  if (pending && pending.db !== db) await flushRequestLogs();
  pending ??= { db, rows: [] };
  pending.rows.push(clean(entry));
  if (pending.rows.length >= MAX_BATCH) void flushRequestLogs();
  else timer ??= setTimeout(() => void flushRequestLogs(), flushMs);
}

/**
 * One INSERT for many rows with a fixed number of parameters (one array per column). Rows of a
 * shop that no longer exists (purged while its rows waited in the buffer) are left out by the
 * join, so they cannot make the whole batch fail on the foreign key and take other shops' rows
 * with them. A shop deleted while the INSERT runs can still trip the key: then once more, and
 * the second statement's snapshot no longer sees that shop.
 */
async function insertBatch(db: Db, rows: RequestLogEntry[]): Promise<void> {
  const col = <K extends keyof RequestLogEntry>(key: K) => rows.map((row) => row[key]);
  const insert = () => db.$executeRaw`
    INSERT INTO "ApiRequestLog" (id, "shopId", "tokenId", method, route, status, "durationMs", ip, "userAgent", "createdAt")
    SELECT r.* FROM unnest(
      ${col("id")}::text[], ${col("shopId")}::text[], ${col("tokenId")}::text[], ${col("method")}::text[], ${col("route")}::text[],
      ${col("status")}::int[], ${col("durationMs")}::int[], ${col("ip")}::text[], ${col("userAgent")}::text[],
      ${col("createdAt")}::timestamp(3)[]
    ) AS r(id, "shopId", "tokenId", method, route, status, "durationMs", ip, "userAgent", "createdAt")
    JOIN "Shop" s ON s.id = r."shopId"`;
  try {
    await insert();
  } catch (error) {
    if (!/foreign key/i.test(String((error as Error).message))) throw error;
    await insert();
  }
}

/** Writes every buffered log row now. */
export function flushRequestLogs(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const batch = pending;
  pending = null;
  if (!batch || batch.rows.length === 0) return flushing;
  flushing = flushing
    .then(() => insertBatch(batch.db, batch.rows))
    .catch((error) => console.error(`[api] ${batch.rows.length} request log rows could not be written`, error));
  return flushing;
}

export const STATUS_CLASSES = ["2xx", "3xx", "4xx", "5xx"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export type RequestLogQuery = {
  shopId: string;
  statusClass?: StatusClass | null;
  route?: string | null;
  tokenId?: string | null;
  /** Id of the last row of the previous page. */
  before?: string | null;
  limit?: number;
};

/** Newest first, filtered by status class and route pattern, always scoped to the shop. */
export async function listRequestLogs(db: Db, query: RequestLogQuery) {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const where: Prisma.ApiRequestLogWhereInput = { shopId: query.shopId };
  if (query.statusClass) {
    const floor = Number(query.statusClass[0]) * 100;
    where.status = { gte: floor, lt: floor + 100 };
  }
  if (query.route) where.route = query.route;
  if (query.tokenId) where.tokenId = query.tokenId;
  if (query.before) {
    const anchor = await db.apiRequestLog.findFirst({ where: { id: query.before, shopId: query.shopId }, select: { createdAt: true, id: true } });
    if (anchor) {
      where.OR = [{ createdAt: { lt: anchor.createdAt } }, { createdAt: anchor.createdAt, id: { lt: anchor.id } }];
    }
  }
  const rows = await db.apiRequestLog.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit + 1 });
  const page = rows.slice(0, limit);
  return { entries: page, nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/** Route patterns the shop has called (for the Settings filter). */
export async function loggedRoutes(db: Db, shopId: string): Promise<string[]> {
  const rows = await db.apiRequestLog.findMany({ where: { shopId }, distinct: ["route"], select: { route: true }, orderBy: { route: "asc" } });
  return rows.map((row) => row.route);
}
