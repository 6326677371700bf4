import type { Db } from "~/db.server";

/** Jobs that should be running now: queued and due, or running with an expired lease (crashed). */
export async function dueJobIds(db: Db, limit: number, graceMs = 0): Promise<Array<{ id: string; type: string }>> {
  return db.$queryRaw<Array<{ id: string; type: string }>>`
    SELECT id, type FROM "Job"
     WHERE (status = 'queued' AND "runAt" <= now() - (${graceMs} * interval '1 millisecond'))
        OR (status = 'running' AND "leaseUntil" < now())
     ORDER BY "runAt"
     LIMIT ${limit}`;
}
