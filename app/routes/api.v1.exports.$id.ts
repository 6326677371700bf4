import { endpoints } from "~/api/contract/endpoints";
import { exportResource } from "~/api/exports.server";
import { apiRoute } from "~/api/route.server";
import { db } from "~/db.server";
import { getExport } from "~/exports/export-view.server";
import { appStorage } from "~/storage/from-env.server";

/** GET /api/v1/exports/:id: status, progress and, once ready, a fresh download URL. */
export const loader = apiRoute(endpoints.getExport, async ({ params, shop, respond }) => {
  return respond(200, await exportResource(appStorage(), await getExport(db, shop.id, params.id)));
});

/** Any other method: 405 problem+json with Allow. */
export const action = loader;
