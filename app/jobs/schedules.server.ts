// Recurring jobs (e.g. purge API logs older than 30 days). Both backends run them: the embedded
// queue with a timer in the app process, BullMQ with a job scheduler in Redis. Each tick creates
// an ordinary Job row (unless one of that type is still queued or running), so scheduled work has
// the same durability, retries and visibility as any job. The schedules are part of the queue's
// catalog (app/jobs/catalog.server.ts).
import type { Db } from "~/db.server";

import type { JobCatalog, Schedule } from "./catalog.server";
import { createJob } from "./create-job.server";
import type { JobQueue } from "./queue.server";

/** One tick of a schedule: enqueue its job unless an earlier one has not finished. */
export async function tickSchedule(db: Db, queue: JobQueue, schedule: Schedule, catalog: JobCatalog): Promise<boolean> {
  const pending = await db.job.count({ where: { type: schedule.type, status: { in: ["queued", "running"] } } });
  if (pending > 0) return false;
  const job = await createJob(db, { type: schedule.type, payload: schedule.payload ?? {} }, catalog);
  await queue.dispatch(job);
  return true;
}
