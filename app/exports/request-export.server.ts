// Asks for an export: validates what was chosen (every chosen image must be the shop's), then
// writes the Export row and its export.build job in one transaction (the shop's job limit
// applies) and tells the queue. Nothing is built here: the job streams the archive into storage.
import type { Db } from "~/db.server";
import type { Export, Prisma } from "~/generated/prisma/client";
import { AppError } from "~/errors";
import { createJob } from "~/jobs/create-job.server";
import { dispatchCommitted } from "~/jobs/queue.server";
import { productGid } from "~/products/ids";

import { EXPORT_JOB } from "./jobs";
import { MAX_EXPORT_ASSET_IDS, type ExportScope, type ExportSelection } from "./export-input";

export type RequestExportInput = {
  shopId: string;
  scope: ExportScope;
  selection?: ExportSelection;
  requestedVia: "admin" | "api";
};

export async function requestExport(db: Db, input: RequestExportInput): Promise<Export> {
  const selection = await checkSelection(db, input.shopId, input.scope, input.selection ?? {});
  const exportRow = await db.$transaction(async (tx) => {
    const row = await tx.export.create({ data: { shopId: input.shopId, scope: input.scope, selection: selection as Prisma.InputJsonValue, requestedVia: input.requestedVia } });
    const job = await createJob(tx, { type: EXPORT_JOB, shopId: input.shopId, payload: { exportId: row.id } });
    return tx.export.update({ where: { id: row.id }, data: { jobId: job.id } });
  });
  const job = await db.job.findUniqueOrThrow({ where: { id: exportRow.jobId! } });
  await dispatchCommitted(job);
  return exportRow;
}

async function checkSelection(db: Db, shopId: string, scope: ExportScope, selection: ExportSelection): Promise<ExportSelection> {
  const { assetIds, kind } = selection;
  if (scope === "all_data" && (assetIds || kind || selection.productId)) {
    throw new AppError("UNPROCESSABLE", "An export of all data takes every image: leave out the chosen images and filters, or export the library instead.");
  }
  if (assetIds && (kind || selection.productId)) {
    throw new AppError("UNPROCESSABLE", "Choose images one by one or by a filter (kind, product), not both.", { fieldErrors: { assetIds: "Not with a filter" } });
  }
  if (assetIds) {
    const unique = [...new Set(assetIds)];
    if (unique.length === 0) throw new AppError("UNPROCESSABLE", "Choose at least one image to export.", { fieldErrors: { assetIds: "Empty" } });
    if (unique.length > MAX_EXPORT_ASSET_IDS) {
      throw new AppError("UNPROCESSABLE", `Choose at most ${MAX_EXPORT_ASSET_IDS} images, or export by a filter or everything.`, { fieldErrors: { assetIds: `At most ${MAX_EXPORT_ASSET_IDS}` } });
    }
    const found = await db.asset.count({ where: { shopId, id: { in: unique } } });
    if (found !== unique.length) throw new AppError("NOT_FOUND", "One or more of the chosen images were not found (deleted?). Reload and choose again.");
    return { assetIds: unique };
  }
  let productId: string | undefined;
  if (selection.productId) {
    productId = productGid(selection.productId) ?? undefined;
    if (!productId) throw new AppError("UNPROCESSABLE", 'Use a product GID like "gid://shopify/Product/123" or its numeric id.', { fieldErrors: { productId: "Not a product" } });
  }
  return { ...(kind ? { kind } : {}), ...(productId ? { productId } : {}) };
}
