import { batchControlRoute } from "~/api/batch-control-route.server";

/** POST /api/v1/batches/:id/cancel; any other method: 405 problem+json with Allow. */
export const action = batchControlRoute("cancel");
export const loader = action;
