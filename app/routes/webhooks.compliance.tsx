import type { ActionFunctionArgs } from "@remix-run/node";

import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { handleComplianceWebhook } from "~/webhooks/handle-compliance.server";

export async function action({ request }: ActionFunctionArgs) {
  const { shop, topic, webhookId, payload } = await authenticate.webhook(request);
  await handleComplianceWebhook(db, shop, payload, { webhookId, topic: String(topic) });
  return new Response(null, { status: 200 });
}
