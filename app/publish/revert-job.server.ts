// The durable job behind "Revert": restores the product's gallery from its snapshot.
import { z } from "zod";

import { defineJob, PermanentJobError } from "~/jobs/define.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { pacedClient } from "~/shopify-admin/paced-client.server";

import { REVERT_JOB } from "./jobs";
import { revertProduct } from "./revert-product.server";

export const revertJob = defineJob({
  type: REVERT_JOB,
  payload: z.object({ productId: z.string() }),
  maxAttempts: 4,
  async run({ productId }, ctx) {
    const shop = ctx.shopId ? await ctx.db.shop.findUnique({ where: { id: ctx.shopId } }) : null;
    if (!shop || shop.uninstalledAt) throw new PermanentJobError("Lightbox is no longer installed on this shop.");
    await ctx.progress(10, "Restoring the original gallery");
    return revertProduct({ db: ctx.db, client: pacedClient(shop.domain, adminGraphqlFor(shop.domain)), shopId: shop.id, productId, job: { id: ctx.jobId, attempt: ctx.attempt } });
  },
});
