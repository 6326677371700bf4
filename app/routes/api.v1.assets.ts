import { z } from "zod";

import { decodeCursor, encodeCursor } from "~/api/cursor.server";
import { limitParam, productIdParam } from "~/api/params";
import { parseQuery } from "~/api/parse.server";
import { assetResource, assetWithUrls } from "~/api/resources.server";
import { apiRoute, json } from "~/api/route.server";
import { ingestAsset } from "~/assets/ingest-asset.server";
import { ASSET_KINDS } from "~/assets/library-page.server";
import { listAssets } from "~/assets/list-assets.server";
import { readUpload } from "~/assets/read-upload.server";
import { MAX_UPLOAD_BYTES } from "~/assets/upload-limits";
import { db } from "~/db.server";
import { appStorage } from "~/storage/from-env.server";

const listQuery = z.object({
  kind: z.enum(ASSET_KINDS, { message: `Must be one of ${ASSET_KINDS.join(", ")}` }).optional(),
  product_id: productIdParam.optional(),
  limit: limitParam.default(24),
  cursor: z.string().max(500).optional(),
});

/** GET /api/v1/assets: the shop's images, newest first, cursor-paginated. */
export const loader = apiRoute({ method: "GET", scope: "read", route: "/api/v1/assets" }, async ({ url, shop }) => {
  const query = parseQuery(listQuery, url);
  const { assets, nextCursor } = await listAssets(db, {
    shopId: shop.id,
    kind: query.kind,
    productId: query.product_id,
    limit: query.limit,
    cursor: decodeCursor(shop.id, query.cursor),
  });
  const storage = appStorage();
  return json({ data: await Promise.all(assets.map((asset) => assetWithUrls(storage, asset))), next_cursor: encodeCursor(shop.id, nextCursor) });
});

const uploadQuery = z.object({ product_id: productIdParam.optional() });

/** POST /api/v1/assets: upload an image (multipart field "file"); the same bytes twice give the same asset. */
export const action = apiRoute(
  { method: "POST", scope: "write", route: "/api/v1/assets", maxBodyBytes: MAX_UPLOAD_BYTES + 64 * 1024 },
  async ({ request, url, shop }) => {
    const query = parseQuery(uploadQuery, url);
    const file = await readUpload(request);
    const { asset, deduplicated } = await ingestAsset({
      db,
      storage: appStorage(),
      shopId: shop.id,
      kind: "upload",
      ...file,
      productId: query.product_id ?? null,
    });
    return json(
      { ...assetResource(asset), deduplicated },
      { status: deduplicated ? 200 : 201, headers: { Location: `/api/v1/assets/${asset.id}` } },
    );
  },
);
