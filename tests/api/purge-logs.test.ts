import { describe, expect, it } from "vitest";

import { PURGE_LOGS_EVERY_MS, PURGE_LOGS_JOB } from "~/api/jobs.server";
import { purgeApiLogs } from "~/api/purge-logs.server";
import { db } from "~/db.server";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { appJobs } from "~/jobs/definitions.server";
import { tickSchedule } from "~/jobs/schedules.server";

import { shopWithToken } from "./support/api";

const DAY = 86_400_000;

describe("request log retention", () => {
  it("deletes request logs older than 30 days and keeps newer ones (controlled clock)", async () => {
    const { shop, token } = await shopWithToken("purge.myshopify.com");
    const now = new Date("2031-03-15T12:00:00Z");
    const ages = { "40d": 40 * DAY, "30d+1s": 30 * DAY + 1_000, "30d-1s": 30 * DAY - 1_000, "29d": 29 * DAY, "1h": 3_600_000, "0": 0 };
    for (const [label, age] of Object.entries(ages)) {
      await db.apiRequestLog.create({
        data: { id: `log-${label}`, shopId: shop.id, tokenId: token.id, method: "GET", route: "/api/v1/me", status: 200, durationMs: 3, createdAt: new Date(now.getTime() - age) },
      });
    }
    const base = { shopId: shop.id, tokenId: token.id, method: "POST", route: "/api/v1/assets", requestHash: "h", state: "done" };
    await db.idempotencyRecord.create({ data: { ...base, key: "expired", createdAt: new Date(now.getTime() - 25 * 3_600_000), expiresAt: new Date(now.getTime() - 3_600_000) } });
    await db.idempotencyRecord.create({ data: { ...base, key: "live", createdAt: new Date(now.getTime() - 3_600_000), expiresAt: new Date(now.getTime() + 23 * 3_600_000) } });

    const result = await purgeApiLogs(db, now);
    expect(result).toEqual({ logs: 2, idempotencyRecords: 1, webhookDeliveries: 0, cutoff: new Date(now.getTime() - 30 * DAY).toISOString() });
    const left = (await db.apiRequestLog.findMany({ where: { shopId: shop.id }, orderBy: { createdAt: "asc" } })).map((l) => l.id);
    expect(left).toEqual(["log-30d-1s", "log-29d", "log-1h", "log-0"]);
    expect((await db.idempotencyRecord.findMany({ where: { shopId: shop.id } })).map((r) => r.key)).toEqual(["live"]);

    // A day later the 30d-1s row has crossed the line; the 29d row is then exactly 30 days old and stays.
    expect((await purgeApiLogs(db, new Date(now.getTime() + DAY))).logs).toBe(1);
    expect(await db.apiRequestLog.count({ where: { id: "log-29d" } })).toBe(1);
  });

  it("deletes webhook deliveries after 30 days: Shopify's delivery ids and finished outbound deliveries, not pending ones", async () => {
    const { shop } = await shopWithToken("purge-webhooks.myshopify.com");
    const now = new Date("2031-04-20T12:00:00Z");
    const at = (age: number) => new Date(now.getTime() - age);
    await db.webhookDelivery.createMany({
      data: [
        { webhookId: "wh-old", topic: "APP_UNINSTALLED", receivedAt: at(31 * DAY) },
        { webhookId: "wh-new", topic: "APP_UNINSTALLED", receivedAt: at(29 * DAY) },
      ],
    });
    const outbound = { type: "api.webhook", shopId: shop.id, payload: { generationId: "g", shopId: shop.id, event: "generation.succeeded", occurredAt: now.toISOString() } };
    await db.job.createMany({
      data: [
        { ...outbound, id: "out-old-done", status: "succeeded", finishedAt: at(31 * DAY) },
        { ...outbound, id: "out-old-failed", status: "failed", finishedAt: at(40 * DAY) },
        { ...outbound, id: "out-new-done", status: "succeeded", finishedAt: at(2 * DAY) },
        { ...outbound, id: "out-queued", status: "queued", createdAt: at(31 * DAY) },
      ],
    });
    expect((await purgeApiLogs(db, now)).webhookDeliveries).toBe(3);
    expect((await db.webhookDelivery.findMany()).map((d) => d.webhookId)).toEqual(["wh-new"]);
    expect((await db.job.findMany({ where: { type: "api.webhook", shopId: shop.id }, orderBy: { id: "asc" } })).map((j) => j.id)).toEqual(["out-new-done", "out-queued"]);
  });

  it("runs hourly as the scheduled job api.purge-logs, on the job system", async () => {
    const schedule = appJobs().schedules.find((s) => s.type === PURGE_LOGS_JOB);
    expect(schedule).toEqual({ type: "api.purge-logs", everyMs: 3_600_000 });
    expect(PURGE_LOGS_EVERY_MS).toBe(3_600_000);
    expect(appJobs().definition(PURGE_LOGS_JOB)).toBeDefined();

    const { shop } = await shopWithToken("purge-job.myshopify.com");
    await db.apiRequestLog.create({
      data: { shopId: shop.id, method: "GET", route: "/api/v1/me", status: 200, durationMs: 1, createdAt: new Date(Date.now() - 31 * DAY) },
    });
    await db.apiRequestLog.create({ data: { shopId: shop.id, method: "GET", route: "/api/v1/me", status: 200, durationMs: 1 } });
    const queue = createEmbeddedQueue(db, { pollMs: 20 });
    expect(await tickSchedule(db, queue, schedule!, appJobs())).toBe(true);
    await queue.drain();
    const job = await db.job.findFirstOrThrow({ where: { type: PURGE_LOGS_JOB } });
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ logs: 1 });
    expect(await db.apiRequestLog.count({ where: { shopId: shop.id } })).toBe(1);
  });
});
