import type { ActionFunctionArgs } from "@remix-run/node";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { readUpload } from "~/assets/read-upload.server";
import { db } from "~/db.server";
import { adminErrorResponse } from "~/http/errors.server";
import { authenticate } from "~/shopify.server";
import { currentShop } from "~/shops/current-shop.server";
import { appStorage } from "~/storage/from-env.server";

/** POST one image (multipart "file"): the Library's drop zone sends each file here. */
export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  try {
    const shop = await currentShop(db, session.shop);
    const file = await readUpload(request);
    const productId = new URL(request.url).searchParams.get("productId");
    const { asset, deduplicated } = await ingestAsset({
      db,
      storage: appStorage(),
      shopId: shop.id,
      kind: "upload",
      ...file,
      productId: productId && /^gid:\/\/shopify\/Product\/\d+$/.test(productId) ? productId : null,
    });
    return Response.json({ asset: { id: asset.id, width: asset.width, height: asset.height }, deduplicated }, { status: deduplicated ? 200 : 201 });
  } catch (error) {
    return adminErrorResponse(error);
  }
}
