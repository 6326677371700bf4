// An export as the admin and the API show it, with a download link once it is ready. The link
// is presigned for a short while (never past the archive's own expiry) and offers a file name.
import type { Db } from "~/db.server";
import type { Export } from "~/generated/prisma/client";
import { notFound } from "~/errors";
import type { ObjectStorage } from "~/storage/types";

export type ExportView = {
  id: string;
  scope: string;
  status: Export["status"];
  progress: number;
  itemCount: number;
  bytes: number | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string | null;
  download: { url: string; expiresAt: string } | null;
};

export async function getExport(db: Db, shopId: string, exportId: string): Promise<Export> {
  const row = await db.export.findFirst({ where: { id: exportId, shopId } });
  if (!row) throw notFound("The export");
  return row;
}

export async function exportView(storage: ObjectStorage, row: Export & { shop?: { domain: string } }, linkSeconds: number, now = new Date()): Promise<ExportView> {
  let download: ExportView["download"] = null;
  if (row.status === "ready" && row.objectKey && row.expiresAt && row.expiresAt.getTime() > now.getTime()) {
    const seconds = Math.max(1, Math.min(linkSeconds, Math.floor((row.expiresAt.getTime() - now.getTime()) / 1000)));
    const day = row.createdAt.toISOString().slice(0, 10);
    const url = await storage.presignGet(row.objectKey, { expiresIn: seconds, filename: `lightbox-${row.scope === "all_data" ? "all-data" : "export"}-${day}-${row.id}.zip` });
    download = { url, expiresAt: new Date(now.getTime() + seconds * 1000).toISOString() };
  }
  return {
    id: row.id,
    scope: row.scope,
    status: row.status,
    progress: row.progress,
    itemCount: row.itemCount,
    bytes: row.bytes === null ? null : Number(row.bytes),
    error: row.errorMessage,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    download,
  };
}

/** The shop's latest exports (Library and Settings show them). */
export async function recentExports(db: Db, storage: ObjectStorage, shopId: string, linkSeconds = 3_600): Promise<ExportView[]> {
  const rows = await db.export.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take: 5 });
  return Promise.all(rows.map((row) => exportView(storage, row, linkSeconds)));
}
