// The public API's background work, registered at startup via app/jobs/definitions.server.ts:
//   api.purge-logs  hourly: request logs older than 30 days, expired idempotency keys;
//   api.webhook     one outbound webhook delivery (see webhooks/deliver.server.ts), queued when a
//                   generation created with a webhook_url ends.
import { z } from "zod";

import { onGenerationFinished } from "~/generation/generation-job.server";
import { defineJob } from "~/jobs/define.server";
import { registerJob } from "~/jobs/registry.server";
import { registerSchedule } from "~/jobs/schedules.server";

import { purgeApiLogs } from "./purge-logs.server";
import { webhookDeliveryJob } from "./webhooks/deliver.server";
import { enqueueGenerationWebhook } from "./webhooks/enqueue.server";

export const PURGE_LOGS_JOB = "api.purge-logs";
export const PURGE_LOGS_EVERY_MS = 3_600_000;

export const purgeLogsJob = defineJob({
  type: PURGE_LOGS_JOB,
  payload: z.object({}),
  maxAttempts: 3,
  async run(_payload, ctx) {
    return purgeApiLogs(ctx.db, new Date());
  },
});

registerJob(purgeLogsJob);
registerJob(webhookDeliveryJob);
registerSchedule({ type: PURGE_LOGS_JOB, everyMs: PURGE_LOGS_EVERY_MS });

onGenerationFinished(async (db, generation) => {
  // Never fail the generation over its notification: log, and the generation stays as it is.
  await enqueueGenerationWebhook(db, generation).catch((error) => console.error(`[api] could not queue the webhook of ${generation.id}`, error));
});
