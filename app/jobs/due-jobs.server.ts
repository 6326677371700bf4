import type { Db } from "~/db.server";

/** Jobs that should be running now: queued and due, or running with an expired lease (crashed). */
export type DueJob = { id: string; type: string; attempts: number };

export async function dueJobIds(db: Db, limit: number, graceMs = 0): Promise<DueJob[]> {
  return db.$queryRaw<DueJob[]>`
    SELECT id, type, attempts FROM "Job"
     WHERE (status = 'queued' AND "runAt" <= now() - (${graceMs} * interval '1 millisecond'))
        OR (status = 'running' AND "leaseUntil" < now())
     ORDER BY "runAt"
     LIMIT ${limit}`;
}
