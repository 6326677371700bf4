import { endpoints } from "~/api/contract/endpoints";
import { generationResource } from "~/api/resources.server";
import { apiRoute } from "~/api/route.server";
import { allowedWebhookUrl } from "~/api/webhook-url.server";
import { db } from "~/db.server";
import { refineGeneration } from "~/generation/create-generation.server";
import { appStorage } from "~/storage/from-env.server";

/** POST /api/v1/assets/:id/refine: edit an image with a follow-up instruction (a new generation, 202). */
export const action = apiRoute(endpoints.refineAsset, async ({ params, body, shop, token, idempotencyId, respond }) => {
  const generation = await refineGeneration(db, {
    shopId: shop.id,
    assetId: params.id,
    instruction: body.instruction,
    webhookUrl: await allowedWebhookUrl(body.webhook_url),
  }, { spender: token, idempotencyId });
  return respond(202, await generationResource(appStorage(), { ...generation, outputs: [] }), { location: `/api/v1/generations/${generation.id}` });
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const loader = action;
