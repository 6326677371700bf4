// The public API's background work (listed in app/jobs/definitions.server.ts):
//   api.purge-logs  hourly: request logs and webhook deliveries older than 30 days, expired idempotency keys;
//   api.webhook     one outbound webhook delivery (see webhooks/deliver.server.ts), queued when a
//                   generation created with a webhook_url ends (app/generation/generation-finished.server.ts).
import { z } from "zod";

import { defineJob } from "~/jobs/define.server";

import { purgeApiLogs } from "./purge-logs.server";

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
