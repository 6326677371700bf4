import { endpoints } from "~/api/contract/endpoints";
import { assertProductInShop, publishItems } from "~/api/products.server";
import { apiRoute } from "~/api/route.server";
import { db } from "~/db.server";
import { productNumericId } from "~/products/ids";
import { requestPublish } from "~/publish/request-publish.server";

/** POST /api/v1/products/:id/publish: queue images for the product's gallery (202; the job does the Shopify work). */
export const action = apiRoute(endpoints.publishToProduct, async ({ params, body, shop, respond }) => {
  const productId = params.id;
  await assertProductInShop(shop.domain, productId);
  const result = await requestPublish(db, { shopId: shop.id, productId, items: publishItems(body) });
  return respond(
    202,
    {
      object: "publish_request",
      product_id: productId,
      job_id: result.jobId,
      publications: result.publications.map((row) => ({
        id: row.id,
        asset_id: row.assetId!, // requested by asset id
        status: row.status,
        alt_text: row.altText,
        position: row.position,
        replace_media_id: row.replaceMediaId,
        media_id: row.mediaId,
      })),
      already_in_progress: result.alreadyInProgress,
    },
    { location: `/api/v1/products/${productNumericId(productId)}` },
  );
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const loader = action;
