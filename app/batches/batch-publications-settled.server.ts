// A publish job for a product has done what it could: batch items being published onto that
// product become published (every image is on the product). When Shopify could not take one
// (often passing: it could not download the image while Lightbox restarted), a batch that
// publishes by itself tries again, a few times; a reviewed one goes back to review saying why.
import type { Db, DbTx } from "~/db.server";

import { requestAdvance } from "./advance-batch.server";
import { MAX_AUTO_RETRIES } from "./batch-generation-finished.server";

export async function batchPublicationsSettled(db: Db | DbTx, shopId: string, productId: string): Promise<void> {
  const items = await db.batchItem.findMany({ where: { shopId, productId, status: "publishing" }, include: { batch: { select: { onResult: true } } } });
  for (const item of items) {
    if (!item.generationId) continue;
    const outputs = await db.asset.findMany({ where: { shopId, generationId: item.generationId }, select: { id: true } });
    const publications = await db.publication.findMany({ where: { shopId, productId, assetId: { in: outputs.map((o) => o.id) } } });
    if (publications.length === 0 || publications.some((p) => p.status === "queued" || p.status === "processing")) continue;
    const failed = publications.find((p) => p.status === "failed");
    const reason = failed ? `Publishing failed: ${failed.errorMessage ?? "Shopify did not take the image."}` : null;
    const data = !failed
      ? { status: "published" as const, finishedAt: new Date(), errorMessage: null }
      : item.batch.onResult === "publish" && item.autoRetries < MAX_AUTO_RETRIES
        ? { status: "review" as const, autoRetries: { increment: 1 }, errorMessage: reason }
        : item.batch.onResult === "publish"
          ? { status: "failed" as const, finishedAt: new Date(), errorMessage: reason }
          : { status: "review" as const, errorMessage: `${reason} Approve it again to retry.` };
    await db.batchItem.updateMany({ where: { id: item.id, status: "publishing" }, data });
    await requestAdvance(db, { id: item.batchId, shopId });
  }
}
