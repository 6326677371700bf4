// Every job type the app runs, and the recurring ones: one typed list. The web process and
// workers hand it to their queue (app/jobs/configure.server.ts); createJob validates payloads
// against it. Add a feature's jobs here.
import type { z } from "zod";

import { PURGE_LOGS_EVERY_MS, PURGE_LOGS_JOB, purgeLogsJob } from "~/api/jobs.server";
import { webhookDeliveryJob } from "~/api/webhooks/deliver.server";
import { batchAdvanceJob, batchItemJob } from "~/batches/batch-jobs.server";
import { RENEWALS_EVERY_MS, RENEWALS_JOB, renewalsJob } from "~/billing/billing-job.server";
import { exportJob } from "~/exports/export-job.server";
import { expireExportsJob } from "~/exports/expire-exports.server";
import { EXPIRE_EXPORTS_EVERY_MS, EXPIRE_EXPORTS_JOB } from "~/exports/jobs";
import { fidelityJob } from "~/generation/fidelity-job.server";
import { generationJob } from "~/generation/generation-job.server";
import { publishJob } from "~/publish/publish-job.server";
import { revertJob } from "~/publish/revert-job.server";

import { jobCatalog, type JobCatalog } from "./catalog.server";

/** A function, not a constant: job modules import createJob, which imports this module. */
export function jobDefinitions() {
  return [generationJob, publishJob, revertJob, purgeLogsJob, webhookDeliveryJob, renewalsJob, exportJob, expireExportsJob, batchItemJob, batchAdvanceJob, fidelityJob] as const;
}

type AppJob = ReturnType<typeof jobDefinitions>[number];
export type AppJobType = AppJob["type"];
/** What createJob accepts as the payload of an app job type. */
export type JobPayload<T extends AppJobType> = z.input<Extract<AppJob, { type: T }>["payload"]>;

let catalog: JobCatalog | undefined;

/** The app's catalog (built on first use, so modules that import each other can load in any order). */
export function appJobs(): JobCatalog {
  catalog ??= jobCatalog(jobDefinitions(), [
    { type: PURGE_LOGS_JOB, everyMs: PURGE_LOGS_EVERY_MS },
    { type: RENEWALS_JOB, everyMs: RENEWALS_EVERY_MS },
    { type: EXPIRE_EXPORTS_JOB, everyMs: EXPIRE_EXPORTS_EVERY_MS },
  ]);
  return catalog;
}
