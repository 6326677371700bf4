import { endpoints } from "~/api/contract/endpoints";
import { decodeCursor, encodeCursor } from "~/api/cursor.server";
import { generationResource } from "~/api/resources.server";
import { apiRoute } from "~/api/route.server";
import { allowedWebhookUrl } from "~/api/webhook-url.server";
import { db } from "~/db.server";
import { createGeneration } from "~/generation/create-generation.server";
import { listGenerations } from "~/generation/get-generation.server";
import { appStorage } from "~/storage/from-env.server";

/** GET /api/v1/generations: newest first, cursor-paginated, filter by status and product. */
export const loader = apiRoute(endpoints.listGenerations, async ({ query, shop, respond }) => {
  const { generations, nextCursor } = await listGenerations(db, {
    shopId: shop.id,
    status: query.status,
    productId: query.product_id,
    limit: query.limit,
    cursor: decodeCursor(shop.id, query.cursor),
  });
  const storage = appStorage();
  return respond(200, {
    data: await Promise.all(generations.map((generation) => generationResource(storage, generation))),
    next_cursor: encodeCursor(shop.id, nextCursor),
  });
});

/** POST /api/v1/generations: 202 Accepted; poll the Location (or pass webhook_url) for the outcome. */
export const action = apiRoute(endpoints.createGeneration, async ({ body, shop, token, idempotencyId, respond }) => {
  const generation = await createGeneration(db, {
    shopId: shop.id,
    sourceAssetIds: body.source_asset_ids,
    referenceAssetIds: body.reference_asset_ids,
    presetId: body.preset_id,
    customPrompt: body.custom_prompt,
    model: body.model,
    aspectRatio: body.aspect_ratio,
    resolution: body.resolution,
    variants: body.variants,
    productId: body.product_id,
    productTitle: body.product_title,
    webhookUrl: await allowedWebhookUrl(body.webhook_url),
  }, { spender: token, idempotencyId });
  return respond(202, await generationResource(appStorage(), { ...generation, outputs: [] }), { location: `/api/v1/generations/${generation.id}` });
});
