import type { ActionFunctionArgs } from "@remix-run/node";

import { productGidOrNull, z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { ingestAsset } from "~/assets/ingest-asset.server";
import { readUpload } from "~/assets/read-upload.server";

/** POST one image (multipart "file"): the Library's drop zone sends each file here. */
export const action = (args: ActionFunctionArgs) =>
  adminRoute(args, { query: z.object({ productId: productGidOrNull() }) }, async ({ db, storage, shop, query, request }) => {
    const file = await readUpload(request);
    const { asset, deduplicated } = await ingestAsset({ db, storage, shopId: shop.id, kind: "upload", ...file, productId: query.productId });
    return Response.json({ asset: { id: asset.id, width: asset.width, height: asset.height }, deduplicated }, { status: deduplicated ? 200 : 201 });
  });
