import type { ActionFunctionArgs } from "@remix-run/node";

import { webhookRoute } from "~/http/webhook-route.server";
import { handleShopGone } from "~/webhooks/handle-uninstall.server";

export const action = (args: ActionFunctionArgs) => webhookRoute(args, ({ db, shop, payload, delivery }) => handleShopGone(db, shop, payload, delivery));
