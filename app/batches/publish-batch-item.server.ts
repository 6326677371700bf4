// Puts a batch item's result(s) onto its product: featured (the first image becomes the product's
// first) or appended, with Gemini's alt text (the publish job writes it when none is given).
import type { Db } from "~/db.server";
import { AppError } from "~/errors";
import type { Batch, BatchItem } from "~/generated/prisma/client";
import type { PublishItem } from "~/publish/publish-input";
import { requestPublish } from "~/publish/request-publish.server";

export async function publishBatchItem(db: Db, batch: Pick<Batch, "placement">, item: BatchItem): Promise<boolean> {
  if (!item.generationId) return false;
  const outputs = await db.asset.findMany({
    where: { shopId: item.shopId, generationId: item.generationId },
    orderBy: { variantIndex: "asc" },
    select: { id: true },
  });
  if (outputs.length === 0) return false;
  // Claim the item first, so two callers never ask twice.
  const { count } = await db.batchItem.updateMany({
    where: { id: item.id, status: { in: ["review", "rejected"] } },
    data: { status: "publishing", errorMessage: null },
  });
  if (count === 0) return false;
  const items: PublishItem[] = outputs.map((asset, index) => ({
    assetId: asset.id,
    placement: batch.placement === "featured" ? { kind: "position", position: index } : { kind: "append" },
  }));
  try {
    await requestPublish(db, { shopId: item.shopId, productId: item.productId, items, priority: 1 });
  } catch (error) {
    // A refusal the merchant can act on (e.g. the product was deleted) ends this item only.
    if (!(error instanceof AppError)) throw error;
    await db.batchItem.update({ where: { id: item.id }, data: { status: "failed", errorMessage: error.userMessage } });
    return false;
  }
  return true;
}
