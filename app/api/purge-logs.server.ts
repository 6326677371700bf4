import type { Db } from "~/db.server";

import { apiConfig } from "./config.server";

/**
 * Deletes request log rows older than the retention (30 days) and expired idempotency records,
 * as of `now` (a parameter, so tests control the clock). Returns what it deleted.
 */
export async function purgeApiLogs(db: Db, now: Date, retentionMs = apiConfig().logRetentionMs) {
  const cutoff = new Date(now.getTime() - retentionMs);
  const logs = await db.apiRequestLog.deleteMany({ where: { createdAt: { lt: cutoff } } });
  const idempotency = await db.idempotencyRecord.deleteMany({ where: { expiresAt: { lte: now } } });
  return { logs: logs.count, idempotencyRecords: idempotency.count, cutoff: cutoff.toISOString() };
}
