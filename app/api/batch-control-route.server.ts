// POST /api/v1/batches/:id/<pause|resume|cancel>, one route helper for the three (routes only:
// it opens the database; app/api/batches.server.ts stays free of it for the webhook job).
import { batchView } from "~/batches/batch-view.server";
import { cancelBatch, pauseBatch, resumeBatch } from "~/batches/control-batch.server";
import { db } from "~/db.server";
import { appStorage } from "~/storage/from-env.server";

import { batchResource } from "./batches.server";
import { endpoints } from "./contract/endpoints";
import { apiRoute } from "./route.server";

const CONTROLS = {
  pause: { endpoint: endpoints.pauseBatch, run: pauseBatch },
  resume: { endpoint: endpoints.resumeBatch, run: resumeBatch },
  cancel: { endpoint: endpoints.cancelBatch, run: cancelBatch },
} as const;

/** POST /api/v1/batches/:id/<pause|resume|cancel>: the domain verb, then the batch as it is now. */
export function batchControlRoute(verb: keyof typeof CONTROLS) {
  const { endpoint, run } = CONTROLS[verb];
  return apiRoute(endpoint, async ({ params, shop, respond }) => {
    await run(db, shop.id, params.id);
    return respond(200, batchResource(await batchView(db, appStorage(), shop.id, params.id)));
  });
}
