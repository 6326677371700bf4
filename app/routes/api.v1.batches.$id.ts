import { batchResource } from "~/api/batches.server";
import { endpoints } from "~/api/contract/endpoints";
import { apiRoute } from "~/api/route.server";
import { batchView } from "~/batches/batch-view.server";
import { db } from "~/db.server";
import { appStorage } from "~/storage/from-env.server";

/** GET /api/v1/batches/:id: counts, progress, estimate and every product's state. */
export const loader = apiRoute(endpoints.getBatch, async ({ params, shop, respond }) =>
  respond(200, batchResource(await batchView(db, appStorage(), shop.id, params.id))),
);

/** Any other method: 405 problem+json with Allow. */
export const action = loader;
