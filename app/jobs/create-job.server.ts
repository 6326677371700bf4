import type { Db, DbTx } from "~/db.server";
import type { Job, Prisma } from "~/generated/prisma/client";

import type { JobCatalog } from "./catalog.server";
import type { AppJobType, JobPayload } from "./definitions.server";
import { assertShopJobRoom } from "./shop-job-limit.server";

type JobRowOptions = {
  /** A pre-chosen id, when another row written in the same transaction refers to the job. */
  id?: string;
  shopId?: string | null;
  runAt?: Date;
  /** 0 (default): someone waits for it; 1: catalogue batch work, which yields to the rest. */
  priority?: number;
};

/** An app job: its type picks the payload type. */
export type NewJob<T extends AppJobType = AppJobType> = JobRowOptions & { type: T; payload: JobPayload<T> };
/** A job of some catalog's type (tests' own job types). */
export type NewCatalogJob = JobRowOptions & { type: string; payload: unknown };

let appCatalog: JobCatalog | undefined;

/** Imported when first needed: the job modules import createJob, and the app's catalog imports them. */
async function appJobCatalog(): Promise<JobCatalog> {
  appCatalog ??= (await import("./definitions.server")).appJobs();
  return appCatalog;
}

/**
 * Writes a queued job row (inside the caller's transaction when given one, so e.g. a credit
 * debit and its job commit together). Hand the row to `jobQueue().dispatch()` after commit.
 * A shop's job beyond its limit of active jobs is refused (TooManyJobsError, 429).
 */
export function createJob<T extends AppJobType>(db: Db | DbTx, input: NewJob<T>): Promise<Job>;
export function createJob(db: Db | DbTx, input: NewCatalogJob, catalog: JobCatalog): Promise<Job>;
export async function createJob(db: Db | DbTx, input: NewCatalogJob, catalog?: JobCatalog): Promise<Job> {
  const definition = (catalog ?? (await appJobCatalog())).definition(input.type);
  if (!definition) throw new Error(`No job type "${input.type}" is defined (app/jobs/definitions.server.ts)`);
  const payload = definition.payload.parse(input.payload) as Prisma.InputJsonValue;
  if (input.shopId && !definition.exemptFromShopLimit) await assertShopJobRoom(db, input.shopId);
  return db.job.create({
    data: {
      ...(input.id ? { id: input.id } : {}),
      type: input.type,
      payload,
      shopId: input.shopId ?? null,
      maxAttempts: definition.maxAttempts ?? 3,
      runAt: input.runAt ?? new Date(),
      priority: input.priority ?? 0,
    },
  });
}
