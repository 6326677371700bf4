import { z } from "zod";

import { decodeCursor, encodeCursor } from "~/api/cursor.server";
import { allowedWebhookUrl, createGenerationBody } from "~/api/generation-body.server";
import { limitParam, productIdParam } from "~/api/params";
import { parseBody, parseQuery } from "~/api/parse.server";
import { generationResource } from "~/api/resources.server";
import { apiRoute, json } from "~/api/route.server";
import { db } from "~/db.server";
import { createGeneration } from "~/generation/create-generation.server";
import { listGenerations } from "~/generation/get-generation.server";
import { appStorage } from "~/storage/from-env.server";

const STATUSES = ["queued", "running", "succeeded", "failed"] as const;

const listQuery = z.object({
  status: z.enum(STATUSES, { message: `Must be one of ${STATUSES.join(", ")}` }).optional(),
  product_id: productIdParam.optional(),
  limit: limitParam.default(20),
  cursor: z.string().max(500).optional(),
});

/** GET /api/v1/generations: newest first, cursor-paginated, filter by status and product. */
export const loader = apiRoute({ method: "GET", scope: "read", route: "/api/v1/generations" }, async ({ url, shop }) => {
  const query = parseQuery(listQuery, url);
  const { generations, nextCursor } = await listGenerations(db, {
    shopId: shop.id,
    status: query.status,
    productId: query.product_id,
    limit: query.limit,
    cursor: decodeCursor(shop.id, query.cursor),
  });
  const storage = appStorage();
  return json({
    data: await Promise.all(generations.map((generation) => generationResource(storage, generation))),
    next_cursor: encodeCursor(shop.id, nextCursor),
  });
});

/** POST /api/v1/generations: 202 Accepted; poll the Location (or pass webhook_url) for the outcome. */
export const action = apiRoute({ method: "POST", scope: "write", route: "/api/v1/generations" }, async (ctx) => {
  const body = parseBody(createGenerationBody, ctx.json());
  const generation = await createGeneration(db, {
    shopId: ctx.shop.id,
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
  });
  return json(await generationResource(appStorage(), { ...generation, outputs: [] }), {
    status: 202,
    headers: { Location: `/api/v1/generations/${generation.id}` },
  });
});
