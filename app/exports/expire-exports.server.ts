// Finished archives are downloadable for EXPORT_TTL_MS, then deleted from storage (hourly job
// exports.expire); the row stays as "expired" (what was exported, and when).
import { z } from "zod";

import type { Db } from "~/db.server";
import { defineJob } from "~/jobs/define.server";
import type { ObjectStorage } from "~/storage/types";
import { appStorage } from "~/storage/from-env.server";

import { EXPIRE_EXPORTS_JOB } from "./jobs";

export async function expireExports(db: Db, storage: ObjectStorage, now = new Date()): Promise<{ expired: number }> {
  const due = await db.export.findMany({ where: { status: "ready", expiresAt: { lte: now } }, select: { id: true, objectKey: true }, take: 500 });
  for (const row of due) {
    if (row.objectKey) await storage.delete(row.objectKey);
    await db.export.update({ where: { id: row.id }, data: { status: "expired", objectKey: null } });
  }
  return { expired: due.length };
}

export const expireExportsJob = defineJob({
  type: EXPIRE_EXPORTS_JOB,
  payload: z.object({}),
  maxAttempts: 3,
  async run(_payload, ctx) {
    return expireExports(ctx.db, appStorage());
  },
});
