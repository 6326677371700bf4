import type { Db } from "~/db.server";

export type Health = { ok: boolean; database: "up" | "down" };

/** The app is healthy when the database answers a trivial query within a second. */
export async function checkHealth(db: Db, timeoutMs = 1_000): Promise<Health> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), timeoutMs).unref());
  try {
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
    return { ok: true, database: "up" };
  } catch {
    return { ok: false, database: "down" };
  }
}
