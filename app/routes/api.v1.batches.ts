import { batchInput, batchQuoteResource, batchResource, batchSummaryResource } from "~/api/batches.server";
import { endpoints } from "~/api/contract/endpoints";
import { apiRoute } from "~/api/route.server";
import { allowedWebhookUrl } from "~/api/webhook-url.server";
import { batchView, listBatches } from "~/batches/batch-view.server";
import { createBatch, previewBatch } from "~/batches/create-batch.server";
import { db } from "~/db.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { interactiveClient } from "~/shopify-admin/paced-client.server";
import { appStorage } from "~/storage/from-env.server";

/** GET /api/v1/batches: newest first, cursor-paginated. */
export const loader = apiRoute(endpoints.listBatches, async ({ query, shop, respond }) => {
  const { batches, nextCursor } = await listBatches(db, shop.id, { limit: query.limit, cursor: query.cursor });
  return respond(200, { data: batches.map(batchSummaryResource), next_cursor: nextCursor });
});

/** POST /api/v1/batches: 202 with the running batch, or (dry_run=true) 200 with its cost preview. */
export const action = apiRoute(endpoints.createBatch, async ({ query, body, shop, token, idempotencyId, respond }) => {
  const input = batchInput(body, await allowedWebhookUrl(body.webhook_url));
  const client = interactiveClient(shop.domain, adminGraphqlFor(shop.domain));
  if (query.dry_run) return respond(200, batchQuoteResource(await previewBatch(db, client, shop.id, input)));
  const { batch } = await createBatch(db, client, shop.id, input, { tokenId: token.id, idempotencyId });
  return respond(202, batchResource(await batchView(db, appStorage(), shop.id, batch.id)), { location: `/api/v1/batches/${batch.id}` });
});
