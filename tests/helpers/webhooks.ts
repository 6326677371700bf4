import { randomUUID } from "node:crypto";

import { API_SECRET_KEY, APP_URL, getHmac } from "@shopify/shopify-api/test-helpers";

/** The payload Shopify sends for the topic when a test gives none (the shop it names matches the header). */
function defaultPayload(topic: string, shop: string): unknown {
  if (topic === "app/uninstalled") return { id: 548380009, name: shop.split(".")[0], domain: shop, myshopify_domain: shop };
  if (topic === "shop/redact") return { shop_id: 548380009, shop_domain: shop };
  return {};
}

/** A webhook request exactly as Shopify sends it, signed with the app's secret. */
export function webhookRequest(
  path: string,
  opts: { topic: string; shop: string; payload?: unknown; webhookId?: string; secret?: string; triggeredAt?: Date },
): Request {
  const body = JSON.stringify(opts.payload ?? defaultPayload(opts.topic, opts.shop));
  return new Request(`${APP_URL}${path}`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": opts.topic,
      "X-Shopify-Shop-Domain": opts.shop,
      "X-Shopify-Webhook-Id": opts.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Triggered-At": (opts.triggeredAt ?? new Date()).toISOString(),
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Hmac-Sha256": getHmac(body, opts.secret ?? API_SECRET_KEY),
    },
  });
}
