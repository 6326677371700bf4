// The export.build job: streams the archive into storage (build-export.server.ts), reporting
// progress on the Export row and the job, then marks it ready for EXPORT_TTL_MS. A retry after a
// crash starts the archive again from the beginning (same key, overwritten). If the export or its
// shop was deleted meanwhile (Settings > Delete all, uninstall), the archive it just wrote is
// deleted again: no object without a row.
import { z } from "zod";

import { defineJob } from "~/jobs/define.server";
import { appStorage } from "~/storage/from-env.server";

import { buildExportArchive, exportObjectKey } from "./build-export.server";
import { EXPORT_TTL_MS } from "./export-input";
import { EXPORT_JOB } from "./jobs";

/** Write progress at most this often (each write is a statement; a big export has many images). */
const PROGRESS_EVERY_MS = 1_000;

export const exportJob = defineJob({
  type: EXPORT_JOB,
  payload: z.object({ exportId: z.string() }),
  maxAttempts: 3,
  leaseMs: 5 * 60_000,
  async run({ exportId }, ctx) {
    const row = await ctx.db.export.findFirst({ where: { id: exportId, ...(ctx.shopId ? { shopId: ctx.shopId } : {}) } });
    if (!row) return { skipped: "The export no longer exists." };
    if (row.status === "ready" || row.status === "expired") return { skipped: `The export is already ${row.status}.` };
    await ctx.db.export.update({ where: { id: row.id }, data: { status: "running", startedAt: new Date(), progress: 0, errorMessage: null } });
    const storage = appStorage();
    let reportedAt = 0;
    const built = await buildExportArchive(ctx.db, storage, row, async (done, total) => {
      if (Date.now() - reportedAt < PROGRESS_EVERY_MS && done < total) return;
      reportedAt = Date.now();
      const percent = total === 0 ? 95 : Math.min(95, Math.floor((done / total) * 95));
      await ctx.progress(percent, `Packing image ${done} of ${total}`);
      await ctx.db.export.updateMany({ where: { id: row.id }, data: { progress: percent } });
    });
    const finishedAt = new Date();
    const { count } = await ctx.db.export.updateMany({
      where: { id: row.id },
      data: {
        status: "ready",
        progress: 100,
        itemCount: built.itemCount,
        bytes: BigInt(built.bytes),
        objectKey: built.key,
        finishedAt,
        expiresAt: new Date(finishedAt.getTime() + EXPORT_TTL_MS),
      },
    });
    if (count === 0) {
      await storage.delete(exportObjectKey(row.shopId, row.id));
      return { skipped: "The export was deleted while it was built; its archive is deleted too." };
    }
    return { images: built.itemCount, bytes: built.bytes, missing: built.missing };
  },
  async onFailed({ exportId }, error, ctx) {
    await ctx.db.export.updateMany({
      where: { id: exportId },
      data: { status: "failed", finishedAt: new Date(), errorMessage: `The export could not be built: ${error.message}. Try again.` },
    });
  },
});
