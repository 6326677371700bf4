import { endpoints } from "~/api/contract/endpoints";
import { assertProductInShop } from "~/api/products.server";
import { apiRoute } from "~/api/route.server";
import { db } from "~/db.server";
import { productNumericId } from "~/products/ids";
import { requestRevert } from "~/publish/request-revert.server";

/** POST /api/v1/products/:id/revert: restore the gallery as it was before Lightbox first changed it (202; a job). */
export const action = apiRoute(endpoints.revertProduct, async ({ params, shop, respond }) => {
  const productId = params.id;
  await assertProductInShop(shop.domain, productId);
  const { jobId } = await requestRevert(db, { shopId: shop.id, productId });
  return respond(202, { object: "revert_request", product_id: productId, job_id: jobId }, { location: `/api/v1/products/${productNumericId(productId)}` });
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const loader = action;
