import type { ActionFunctionArgs } from "@remix-run/node";

import { handleChargeWebhook } from "~/billing/handle-charge-webhook.server";
import { webhookRoute } from "~/http/webhook-route.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";

/** app_subscriptions/update and app_purchases_one_time/update (one route: the same verb handles both). */
export const action = (args: ActionFunctionArgs) =>
  webhookRoute(args, ({ db, shop, payload, delivery }) => handleChargeWebhook(db, adminGraphqlFor(shop), shop, payload, delivery));
