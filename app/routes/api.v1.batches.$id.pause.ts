import { batchControlRoute } from "~/api/batch-control-route.server";

/** POST /api/v1/batches/:id/pause; any other method: 405 problem+json with Allow. */
export const action = batchControlRoute("pause");
export const loader = action;
