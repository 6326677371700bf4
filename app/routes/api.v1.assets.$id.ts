import { endpoints } from "~/api/contract/endpoints";
import { assetWithUrls } from "~/api/resources.server";
import { apiRoute } from "~/api/route.server";
import { deleteAsset } from "~/assets/delete-asset.server";
import { getAsset } from "~/assets/get-asset.server";
import { db } from "~/db.server";
import { appStorage } from "~/storage/from-env.server";

/** GET /api/v1/assets/:id: one image with download URLs valid for 15 minutes. */
export const loader = apiRoute(endpoints.getAsset, async ({ params, shop, respond }) => {
  const asset = await getAsset(db, shop.id, params.id);
  return respond(200, await assetWithUrls(appStorage(), asset));
});

/** DELETE /api/v1/assets/:id: removes the image and its stored files for good. */
export const action = apiRoute(endpoints.deleteAsset, async ({ params, shop, respond }) => {
  await deleteAsset(db, appStorage(), shop.id, params.id);
  return respond(204);
});
