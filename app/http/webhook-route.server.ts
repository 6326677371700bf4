// The webhook routes' one wrapper: the library checks the HMAC (401 when it is wrong) and reads
// the delivery; the handler makes one domain call, which must be safe to run twice (Shopify may
// deliver a webhook more than once; app/webhooks/process-once.server.ts makes it count once).
import { toAppError } from "~/errors";
import { authenticate } from "~/shopify.server";
import type { Delivery } from "~/webhooks/process-once.server";

import { services, type Services } from "./services.server";

type Webhook = Awaited<ReturnType<typeof authenticate.webhook>>;

export type WebhookContext = Pick<Services, "db"> & { shop: string; payload: Webhook["payload"]; delivery: Delivery };

export async function webhookRoute(args: { request: Request }, handle: (ctx: WebhookContext) => Promise<unknown>): Promise<Response> {
  const { shop, topic, webhookId, payload } = await authenticate.webhook(args.request);
  try {
    await handle({ db: services().db, shop, payload, delivery: { webhookId, topic: String(topic) } });
  } catch (error) {
    // A refusal the handler explains (e.g. payload and header name different shops): its status
    // and message, logged; anything else stays a 500 and Shopify retries.
    const known = toAppError(error);
    if (!known) throw error;
    console.error(`[webhooks] ${String(topic)} ${webhookId} for ${shop}: ${known.message}`);
    return new Response(known.userMessage, { status: known.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return new Response(null, { status: 200 });
}
