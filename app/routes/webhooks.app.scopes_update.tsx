import type { ActionFunctionArgs } from "@remix-run/node";

import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { handleScopesUpdate } from "~/webhooks/handle-scopes-update.server";

export async function action({ request }: ActionFunctionArgs) {
  const { shop, topic, webhookId, payload } = await authenticate.webhook(request);
  await handleScopesUpdate(db, shop, payload, { webhookId, topic: String(topic) });
  return new Response(null, { status: 200 });
}
