// Asks for a product's gallery to be restored to its snapshot (the revert job does the work).
import type { Db } from "~/db.server";
import { AppError, notFound } from "~/errors";
import { enqueue } from "~/jobs/queue.server";

import { productGid } from "~/products/ids";
import { REVERT_JOB } from "./jobs";

export async function requestRevert(db: Db, input: { shopId: string; productId: string }): Promise<{ jobId: string }> {
  const productId = productGid(input.productId);
  if (!productId) throw notFound("Product");
  const snapshot = await db.productSnapshot.findUnique({ where: { shopId_productId: { shopId: input.shopId, productId } } });
  if (!snapshot || snapshot.restoredAt) {
    throw new AppError("CONFLICT", "Nothing to revert: the product's gallery is as it was before Lightbox changed it.");
  }
  const publishing = await db.publication.count({ where: { shopId: input.shopId, productId, status: { in: ["queued", "processing"] } } });
  if (publishing > 0) throw new AppError("CONFLICT", "Images are still being published to this product. Revert once they are done.");
  const reverting = await db.job.findFirst({
    where: { shopId: input.shopId, type: REVERT_JOB, status: { in: ["queued", "running"] }, payload: { path: ["productId"], equals: productId } },
    select: { id: true },
  });
  if (reverting) return { jobId: reverting.id };
  const job = await enqueue(db, { type: REVERT_JOB, shopId: input.shopId, payload: { productId } });
  return { jobId: job.id };
}
