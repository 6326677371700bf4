import type { Db } from "~/db.server";

import { apiConfig } from "./config.server";
import { WEBHOOK_JOB } from "./webhooks/deliver.server";

/**
 * Deletes, as of `now` (a parameter, so tests control the clock), what is kept for 30 days:
 * request log rows, the record of Shopify's webhook deliveries (exactly-once ids; Shopify retries
 * for 48 hours, so older ids guard nothing) and finished outbound webhook deliveries; and expired
 * idempotency records. Returns what it deleted.
 */
export async function purgeApiLogs(db: Db, now: Date, retentionMs = apiConfig().logRetentionMs) {
  const cutoff = new Date(now.getTime() - retentionMs);
  const logs = await db.apiRequestLog.deleteMany({ where: { createdAt: { lt: cutoff } } });
  const idempotency = await db.idempotencyRecord.deleteMany({ where: { expiresAt: { lte: now } } });
  const received = await db.webhookDelivery.deleteMany({ where: { receivedAt: { lt: cutoff } } });
  const sent = await db.job.deleteMany({ where: { type: WEBHOOK_JOB, status: { in: ["succeeded", "failed"] }, finishedAt: { lt: cutoff } } });
  return { logs: logs.count, idempotencyRecords: idempotency.count, webhookDeliveries: received.count + sent.count, cutoff: cutoff.toISOString() };
}
