import type { Db } from "~/db.server";

/** Jobs that should be running now: queued and due, or running with an expired lease (crashed). */
export type DueJob = { id: string; type: string; attempts: number; priority: number };

/**
 * Due jobs in the order they should start: by priority (work someone waits for before batches),
 * then shops take turns (each shop's first due job, then each shop's second, ...), then by time.
 * So one shop's 200 queued items never stand between another shop and its single generation.
 */
export async function dueJobIds(db: Db, limit: number, graceMs = 0): Promise<DueJob[]> {
  return db.$queryRaw<DueJob[]>`
    SELECT id, type, attempts, priority FROM (
      SELECT id, type, attempts, priority, "runAt",
             row_number() OVER (PARTITION BY priority, "shopId" ORDER BY "runAt") AS turn
        FROM "Job"
       WHERE (status = 'queued' AND "runAt" <= now() - (${graceMs} * interval '1 millisecond'))
          OR (status = 'running' AND "leaseUntil" < now())
    ) due
     ORDER BY priority, turn, "runAt"
     LIMIT ${limit}`;
}
