// POST /api/extensions/batches — the bulk action starts a batch over the selected products
// (origin "bulk_action"); 201 with the batch and its review page in the app.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { extensionMethodNotAllowed, extensionRoute } from "~/admin/extension-route.server";
import { bulkActionRequestSchema } from "~/admin-extensions/bulk-action";
import { startBulkAction } from "~/admin-extensions/bulk-action.server";
import { interactiveClient } from "~/shopify-admin/paced-client.server";

export const action = (args: ActionFunctionArgs) =>
  extensionRoute(args, { body: bulkActionRequestSchema }, async ({ db, admin, shop, body }) =>
    Response.json(await startBulkAction(db, interactiveClient(shop.domain, admin.graphql), shop.id, body), { status: 201 }),
  );

/** Remix sends the CORS preflight (OPTIONS) here. */
export const loader = (args: LoaderFunctionArgs) => extensionMethodNotAllowed(args, "POST");
