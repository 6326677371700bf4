import type { ActionFunctionArgs } from "@remix-run/node";

import { webhookRoute } from "~/http/webhook-route.server";
import { handleScopesUpdate } from "~/webhooks/handle-scopes-update.server";

export const action = (args: ActionFunctionArgs) =>
  webhookRoute(args, ({ db, shop, payload, delivery }) => handleScopesUpdate(db, shop, payload, delivery));
