import type { ActionFunctionArgs } from "@remix-run/node";

import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { handleShopGone } from "~/webhooks/handle-uninstall.server";

export async function action({ request }: ActionFunctionArgs) {
  const { shop, topic, webhookId } = await authenticate.webhook(request);
  await handleShopGone(db, shop, { webhookId, topic: String(topic) });
  return new Response(null, { status: 200 });
}
