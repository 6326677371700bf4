// POST /api/extensions/batches/preview — the bulk action's cost preview (nothing written).
// Called by the admin UI extension extensions/bulk-generate with its ID token.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { extensionMethodNotAllowed, extensionRoute } from "~/admin/extension-route.server";
import { bulkActionRequestSchema } from "~/admin-extensions/bulk-action";
import { previewBulkAction } from "~/admin-extensions/bulk-action.server";
import { interactiveClient } from "~/shopify-admin/paced-client.server";

export const action = (args: ActionFunctionArgs) =>
  extensionRoute(args, { body: bulkActionRequestSchema }, async ({ db, admin, shop, body }) =>
    Response.json(await previewBulkAction(db, interactiveClient(shop.domain, admin.graphql), shop.id, body)),
  );

/** Remix sends the CORS preflight (OPTIONS) here. */
export const loader = (args: LoaderFunctionArgs) => extensionMethodNotAllowed(args, "POST");
