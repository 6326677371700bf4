import { endpoints } from "~/api/contract/endpoints";
import { generationResource } from "~/api/resources.server";
import { apiRoute } from "~/api/route.server";
import { db } from "~/db.server";
import { getGeneration } from "~/generation/get-generation.server";
import { appStorage } from "~/storage/from-env.server";

/** GET /api/v1/generations/:id: status, progress, and the outputs with download URLs. */
export const loader = apiRoute(endpoints.getGeneration, async ({ params, shop, respond }) => {
  const generation = await getGeneration(db, shop.id, params.id);
  return respond(200, await generationResource(appStorage(), generation));
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const action = loader;
