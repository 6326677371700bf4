import { parseBody } from "~/api/parse.server";
import { assertProductInShop, productIdFromPath, publishBody, publishItems } from "~/api/products.server";
import { apiRoute, json } from "~/api/route.server";
import { db } from "~/db.server";
import { productNumericId } from "~/publish/ids";
import { requestPublish } from "~/publish/request-publish.server";

/** POST /api/v1/products/:id/publish: queue images for the product's gallery (202; the job does the Shopify work). */
export const action = apiRoute({ method: "POST", scope: "write", route: "/api/v1/products/:id/publish" }, async (ctx) => {
  const productId = productIdFromPath(ctx.params.id);
  const body = parseBody(publishBody, ctx.json());
  await assertProductInShop(ctx.shop.domain, productId);
  const result = await requestPublish(db, { shopId: ctx.shop.id, productId, items: publishItems(body) });
  const rows = await db.publication.findMany({ where: { shopId: ctx.shop.id, productId, assetId: { in: body.asset_ids } } });
  const order = new Map(body.asset_ids.map((id, index) => [id, index]));
  rows.sort((a, b) => order.get(a.assetId ?? "")! - order.get(b.assetId ?? "")!);
  return json(
    {
      object: "publish_request",
      product_id: productId,
      job_id: result.jobId,
      publications: rows.map((row) => ({
        id: row.id,
        asset_id: row.assetId,
        status: row.status,
        alt_text: row.altText,
        position: row.position,
        replace_media_id: row.replaceMediaId,
        media_id: row.mediaId,
      })),
      already_in_progress: result.alreadyInProgress,
    },
    { status: 202, headers: { Location: `/api/v1/products/${productNumericId(productId)}` } },
  );
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const loader = action;
