// Asks for images to be published onto a product: one Publication row per image (unique per
// shop, product and asset) and one publish job for the lot, written together; the job does the
// Shopify work. Images already on their way are left alone (a double click queues nothing twice).
import type { Db } from "~/db.server";
import type { Publication } from "~/generated/prisma/client";
import { AppError, notFound } from "~/errors";
import { createJob } from "~/jobs/create-job.server";
import { dispatchCommitted } from "~/jobs/queue.server";

import { productGid } from "~/products/ids";
import { PUBLISH_JOB } from "./jobs";
import type { PublishItem } from "./publish-input";

export type PublishRequestResult = {
  jobId: string | null;
  /** Publication ids queued by this request. */
  queued: string[];
  /** Images that were already being published (left as they are). */
  alreadyInProgress: string[];
  /** The publications of the requested images, in the order they were asked for. */
  publications: Publication[];
};

export async function requestPublish(
  db: Db,
  input: { shopId: string; productId: string; items: PublishItem[]; /** 1: a batch's publish, which yields to work someone waits for. */ priority?: number },
): Promise<PublishRequestResult> {
  const productId = productGid(input.productId);
  if (!productId) throw notFound("Product");
  const ids = input.items.map((item) => item.assetId);
  const assets = await db.asset.findMany({ where: { shopId: input.shopId, id: { in: ids } }, select: { id: true, kind: true } });
  if (assets.length !== new Set(ids).size) {
    throw new AppError("NOT_FOUND", "One of the chosen images no longer exists (was it deleted?). Reload the page and choose again.");
  }
  if (assets.some((asset) => asset.kind === "product_photo")) {
    throw new AppError("UNPROCESSABLE", "That image is already one of the product's photos in Shopify. Choose a generated or uploaded image.");
  }

  const result = await db.$transaction(async (tx) => {
    const existing = await tx.publication.findMany({ where: { shopId: input.shopId, productId, assetId: { in: ids } } });
    const busy = new Set(existing.flatMap((p) => (p.assetId && (p.status === "queued" || p.status === "processing") ? [p.assetId] : [])));
    const todo = input.items.filter((item) => !busy.has(item.assetId));
    if (todo.length === 0) return { job: null, queued: [], alreadyInProgress: [...busy], rows: existing };

    const job = await createJob(tx, { type: PUBLISH_JOB, shopId: input.shopId, payload: { productId }, priority: input.priority });
    const queued: string[] = [];
    const rows = existing.filter((p) => p.assetId && busy.has(p.assetId));
    for (const item of todo) {
      const previous = existing.find((p) => p.assetId === item.assetId);
      const placement = {
        altText: item.altText ?? "",
        position: item.placement.kind === "position" ? item.placement.position : null,
        replaceMediaId: item.placement.kind === "replace" ? item.placement.mediaId : null,
      };
      const row = await tx.publication.upsert({
        where: { shopId_productId_assetId: { shopId: input.shopId, productId, assetId: item.assetId } },
        create: { shopId: input.shopId, productId, assetId: item.assetId, status: "queued", jobId: job.id, ...placement },
        update: {
          status: "queued",
          jobId: job.id,
          errorMessage: null,
          // A published image keeps its media id: the job checks it is still on the product
          // instead of adding it twice. Failed or reverted ones start over.
          mediaId: previous?.status === "ready" ? previous.mediaId : null,
          ...placement,
        },
      });
      queued.push(row.id);
      rows.push(row);
    }
    return { job, queued, alreadyInProgress: [...busy], rows };
  });

  if (result.job) await dispatchCommitted(result.job);
  const order = new Map(ids.map((id, index) => [id, index]));
  const publications = result.rows.sort((a, b) => order.get(a.assetId ?? "")! - order.get(b.assetId ?? "")!);
  return { jobId: result.job?.id ?? null, queued: result.queued, alreadyInProgress: result.alreadyInProgress, publications };
}
