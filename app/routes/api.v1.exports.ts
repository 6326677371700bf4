import { endpoints } from "~/api/contract/endpoints";
import { exportResource } from "~/api/exports.server";
import { apiRoute } from "~/api/route.server";
import { db } from "~/db.server";
import { requestExport } from "~/exports/request-export.server";
import { appStorage } from "~/storage/from-env.server";

/** POST /api/v1/exports: 202 Accepted; poll the Location until the archive is ready. */
export const action = apiRoute(endpoints.createExport, async ({ body, shop, respond }) => {
  const row = await requestExport(db, {
    shopId: shop.id,
    scope: body.scope,
    selection: { assetIds: body.asset_ids, kind: body.kind, productId: body.product_id },
    requestedVia: "api",
  });
  return respond(202, await exportResource(appStorage(), row), { location: `/api/v1/exports/${row.id}` });
});

/** Any other method: 405 problem+json with Allow. */
export const loader = action;
