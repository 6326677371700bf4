import { endpoints } from "~/api/contract/endpoints";
import { decodeCursor, encodeCursor } from "~/api/cursor.server";
import { assetWithUrls, uploadedAssetResource } from "~/api/resources.server";
import { apiRoute } from "~/api/route.server";
import { ingestAsset } from "~/assets/ingest-asset.server";
import { listAssets } from "~/assets/list-assets.server";
import { uploadedFile } from "~/assets/read-upload.server";
import { db } from "~/db.server";
import { appStorage } from "~/storage/from-env.server";

/** GET /api/v1/assets: the shop's images, newest first, cursor-paginated. */
export const loader = apiRoute(endpoints.listAssets, async ({ query, shop, respond }) => {
  const { assets, nextCursor } = await listAssets(db, {
    shopId: shop.id,
    kind: query.kind,
    productId: query.product_id,
    limit: query.limit,
    cursor: decodeCursor(shop.id, query.cursor),
  });
  const storage = appStorage();
  return respond(200, { data: await Promise.all(assets.map((asset) => assetWithUrls(storage, asset))), next_cursor: encodeCursor(shop.id, nextCursor) });
});

/** POST /api/v1/assets: upload an image (multipart field "file"); the same bytes twice give the same asset. */
export const action = apiRoute(endpoints.uploadAsset, async ({ query, body, shop, respond }) => {
  const { asset, deduplicated } = await ingestAsset({
    db,
    storage: appStorage(),
    shopId: shop.id,
    kind: "upload",
    ...(await uploadedFile(body.file)),
    productId: query.product_id ?? null,
  });
  return respond(deduplicated ? 200 : 201, uploadedAssetResource(asset, deduplicated), { location: `/api/v1/assets/${asset.id}` });
});
