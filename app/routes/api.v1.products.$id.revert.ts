import { assertProductInShop, productIdFromPath } from "~/api/products.server";
import { apiRoute, json } from "~/api/route.server";
import { db } from "~/db.server";
import { productNumericId } from "~/publish/ids";
import { requestRevert } from "~/publish/request-revert.server";

/** POST /api/v1/products/:id/revert: restore the gallery as it was before Lightbox first changed it (202; a job). */
export const action = apiRoute({ method: "POST", scope: "write", route: "/api/v1/products/:id/revert" }, async (ctx) => {
  const productId = productIdFromPath(ctx.params.id);
  await assertProductInShop(ctx.shop.domain, productId);
  const { jobId } = await requestRevert(db, { shopId: ctx.shop.id, productId });
  return json(
    { object: "revert_request", product_id: productId, job_id: jobId },
    { status: 202, headers: { Location: `/api/v1/products/${productNumericId(productId)}` } },
  );
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const loader = action;
