import { assetWithUrls } from "~/api/resources.server";
import { apiRoute, json } from "~/api/route.server";
import { deleteAsset } from "~/assets/delete-asset.server";
import { getAsset } from "~/assets/get-asset.server";
import { db } from "~/db.server";
import { appStorage } from "~/storage/from-env.server";

/** GET /api/v1/assets/:id: one image with download URLs valid for 15 minutes. */
export const loader = apiRoute({ method: "GET", scope: "read", route: "/api/v1/assets/:id" }, async ({ params, shop }) => {
  const asset = await getAsset(db, shop.id, params.id ?? "");
  return json(await assetWithUrls(appStorage(), asset));
});

/** DELETE /api/v1/assets/:id: removes the image and its stored files for good. */
export const action = apiRoute({ method: "DELETE", scope: "write", route: "/api/v1/assets/:id" }, async ({ params, shop }) => {
  await deleteAsset(db, appStorage(), shop.id, params.id ?? "");
  return new Response(null, { status: 204 });
});
