import type { Db } from "~/db.server";
import { withTimeout } from "~/timeout";

export type Health = { ok: boolean; database: "up" | "down" };

/** The app is healthy when the database answers a trivial query within a second. */
export async function checkHealth(db: Db, timeoutMs = 1_000): Promise<Health> {
  try {
    await withTimeout(db.$queryRaw`SELECT 1`, timeoutMs, "The database");
    return { ok: true, database: "up" };
  } catch {
    return { ok: false, database: "down" };
  }
}
