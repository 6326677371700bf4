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

/** One row per request, written before the response leaves (plain SQL: this runs on every request). */
export async function writeRequestLog(db: Db, entry: RequestLogEntry): Promise<void> {
  const userAgent = entry.userAgent?.slice(0, 500) ?? null;
  const ip = entry.ip?.slice(0, 64) ?? null;
  await db.$executeRaw`
    INSERT INTO "ApiRequestLog" (id, "shopId", "tokenId", method, route, status, "durationMs", ip, "userAgent", "createdAt")
    VALUES (${entry.id}, ${entry.shopId}, ${entry.tokenId}, ${entry.method}, ${entry.route}, ${entry.status}, ${entry.durationMs}, ${ip}, ${userAgent}, ${entry.createdAt})`;
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
