import type { ActionFunctionArgs } from "@remix-run/node";

import { webhookRoute } from "~/http/webhook-route.server";
import { handleComplianceWebhook } from "~/webhooks/handle-compliance.server";

export const action = (args: ActionFunctionArgs) =>
  webhookRoute(args, ({ db, shop, payload, delivery }) => handleComplianceWebhook(db, shop, payload, delivery));
