// Abuse limit on queued work (docs/decisions/0073-abuse-limits.md): a shop may have at most
// JOBS_MAX_ACTIVE_PER_SHOP jobs queued or running at once. Checked where a job row is written
// (inside the caller's transaction, so a refused generation debits nothing); the limit is soft
// under concurrency (two requests may both see room for the last slot). Jobs the app queues on
// the shop's behalf once work has ended (outbound webhook deliveries) are never refused.
import type { Db, DbTx } from "~/db.server";
import { env } from "~/env.server";
import { AppError } from "~/errors";

export class TooManyJobsError extends AppError {
  override name = "TooManyJobsError";
  constructor(limit: number) {
    super(
      "TOO_MANY_JOBS",
      `This shop already has ${limit} jobs waiting or running (generations, publishes, exports). Wait for some of them to finish, then try again.`,
      { status: 429, title: "Too many requests", headers: { "Retry-After": "30" }, retryable: true },
    );
  }
}

let override: number | undefined;

/** Tests: a smaller limit; `undefined` restores JOBS_MAX_ACTIVE_PER_SHOP. */
export function setShopJobLimitForTests(limit: number | undefined): void {
  override = limit;
}

export function shopJobLimit(): number {
  return override ?? env().jobsMaxActivePerShop;
}

export async function assertShopJobRoom(db: Db | DbTx, shopId: string): Promise<void> {
  const limit = shopJobLimit();
  // Raw: on the generation hot path, Prisma's client costs more CPU than this count (ADR 0098).
  const [row] = await db.$queryRaw<Array<{ active: number }>>`
    SELECT count(*)::int AS active FROM "Job" WHERE "shopId" = ${shopId} AND status IN ('queued', 'running')`;
  if ((row?.active ?? 0) >= limit) throw new TooManyJobsError(limit);
}
