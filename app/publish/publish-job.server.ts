// The durable job behind "Publish": one per request, for one product. Idempotent (see
// publish-product.server.ts); a retry after a crash or a lost answer finishes the same work once.
import { z } from "zod";

import { batchPublicationsSettled } from "~/batches/batch-publications-settled.server";
import { defineJob, PermanentJobError } from "~/jobs/define.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { pacedClient } from "~/shopify-admin/paced-client.server";
import { appStorage } from "~/storage/from-env.server";

import { PUBLISH_JOB } from "./jobs";
import { publishProduct } from "./publish-product.server";

export const publishJob = defineJob({
  type: PUBLISH_JOB,
  payload: z.object({ productId: z.string() }),
  maxAttempts: 4,
  async run({ productId }, ctx) {
    const shop = ctx.shopId ? await ctx.db.shop.findUnique({ where: { id: ctx.shopId } }) : null;
    if (!shop || shop.uninstalledAt) throw new PermanentJobError("Lightbox is no longer installed on this shop.");
    const result = await publishProduct({
      db: ctx.db,
      storage: appStorage(),
      client: pacedClient(shop.domain, adminGraphqlFor(shop.domain)),
      shopId: shop.id,
      productId,
      jobId: ctx.jobId,
      attempt: ctx.attempt,
      progress: ctx.progress,
      signal: ctx.signal,
    });
    // Catalogue batches publishing onto this product learn how it went.
    await batchPublicationsSettled(ctx.db, shop.id, productId);
    return result;
  },
  async onFailed({ productId }, error, { db, jobId, shopId }) {
    // Whatever this job had not finished is failed, with the reason the merchant can act on.
    await db.publication.updateMany({
      where: { jobId, status: { in: ["queued", "processing"] } },
      data: { status: "failed", errorMessage: error.message },
    });
    if (shopId) await batchPublicationsSettled(db, shopId, productId);
  },
});
