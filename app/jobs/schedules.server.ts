// Recurring jobs (e.g. purge API logs older than 30 days). Both backends run them: the embedded
// queue with a timer in the app process, BullMQ with a job scheduler in Redis. Each tick creates
// an ordinary Job row (unless one of that type is still queued or running), so scheduled work has
// the same durability, retries and visibility as any job.
import type { Db } from "~/db.server";

import { createJob } from "./create-job.server";
import type { JobQueue } from "./queue.server";

export type Schedule = { type: string; everyMs: number; payload?: unknown };

const schedules = new Map<string, Schedule>();

export function registerSchedule(schedule: Schedule): void {
  schedules.set(schedule.type, schedule);
}

export function registeredSchedules(): Schedule[] {
  return [...schedules.values()];
}

/** One tick of a schedule: enqueue its job unless an earlier one has not finished. */
export async function tickSchedule(db: Db, queue: JobQueue, schedule: Schedule): Promise<boolean> {
  const pending = await db.job.count({ where: { type: schedule.type, status: { in: ["queued", "running"] } } });
  if (pending > 0) return false;
  const job = await createJob(db, { type: schedule.type, payload: schedule.payload ?? {} });
  await queue.dispatch(job);
  return true;
}
