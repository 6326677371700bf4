import { endpoints } from "~/api/contract/endpoints";
import { decodeCursor, encodeCursor } from "~/api/cursor.server";
import { usageEntryResource } from "~/api/resources.server";
import { apiRoute } from "~/api/route.server";
import { db } from "~/db.server";
import { listUsage } from "~/usage/list-usage.server";

/** GET /api/v1/usage: the credit ledger, newest first, cursor-paginated, filter by kind, model and time. */
export const loader = apiRoute(endpoints.listUsage, async ({ query, shop, respond }) => {
  const { entries, nextCursor } = await listUsage(db, {
    shopId: shop.id,
    kind: query.kind,
    model: query.model,
    since: query.since,
    until: query.until,
    limit: query.limit,
    cursor: decodeCursor(shop.id, query.cursor),
  });
  return respond(200, { data: entries.map(usageEntryResource), next_cursor: encodeCursor(shop.id, nextCursor) });
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const action = loader;
