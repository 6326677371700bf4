import { allowedWebhookUrl, refineBody } from "~/api/generation-body.server";
import { parseBody } from "~/api/parse.server";
import { generationResource } from "~/api/resources.server";
import { apiRoute, json } from "~/api/route.server";
import { db } from "~/db.server";
import { refineGeneration } from "~/generation/create-generation.server";
import { appStorage } from "~/storage/from-env.server";

/** POST /api/v1/assets/:id/refine: edit an image with a follow-up instruction (a new generation, 202). */
export const action = apiRoute({ method: "POST", scope: "write", route: "/api/v1/assets/:id/refine" }, async (ctx) => {
  const body = parseBody(refineBody, ctx.json());
  const generation = await refineGeneration(db, {
    shopId: ctx.shop.id,
    assetId: ctx.params.id ?? "",
    instruction: body.instruction,
    webhookUrl: await allowedWebhookUrl(body.webhook_url),
  });
  return json(await generationResource(appStorage(), { ...generation, outputs: [] }), {
    status: 202,
    headers: { Location: `/api/v1/generations/${generation.id}` },
  });
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const loader = action;
