// A webhook's HMAC proves Shopify sent it, and the X-Shopify-Shop-Domain header names the shop the
// library hands us. Before deleting anything, the shop the payload itself names must be that
// shop too: a delivery whose header and body disagree purges nothing (docs/decisions/0071-*).
import { AppError } from "~/errors";

export class WebhookShopMismatchError extends AppError {
  override name = "WebhookShopMismatchError";
  constructor(headerShop: string, payloadShop: string | null) {
    super(
      "WEBHOOK_SHOP_MISMATCH",
      payloadShop
        ? `The webhook is for ${headerShop} (X-Shopify-Shop-Domain) but its payload names ${payloadShop}: nothing was deleted.`
        : `The webhook is for ${headerShop} (X-Shopify-Shop-Domain) but its payload names no shop (shop_domain or myshopify_domain): nothing was deleted.`,
      { status: 400, title: "Bad request", log: true },
    );
  }
}

/** The shop a payload names: shop_domain (compliance topics) or myshopify_domain (app/uninstalled: the Shop resource). */
export function payloadShop(payload: unknown): string | null {
  if (!payload || typeof payload !== "object") return null;
  const { shop_domain: shopDomain, myshopify_domain: myshopifyDomain } = payload as Record<string, unknown>;
  const named = typeof shopDomain === "string" ? shopDomain : typeof myshopifyDomain === "string" ? myshopifyDomain : null;
  return named ? named.trim().toLowerCase() : null;
}

/** Throws unless the payload names the header's shop. */
export function assertPayloadShop(headerShop: string, payload: unknown): void {
  const named = payloadShop(payload);
  if (named !== headerShop.trim().toLowerCase()) throw new WebhookShopMismatchError(headerShop, named);
}
