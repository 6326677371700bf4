// Where Shopify sends the merchant after the confirmation page: the Plans page inside the admin
// (Shopify appends ?charge_id=<id>; the admin passes it on to the embedded app). In development
// against the local simulator that admin is the simulator's.
import { env } from "~/env.server";

export function billingReturnUrl(shopDomain: string): string {
  const { simulatorUrl, shopifyApiKey } = env();
  const admin = simulatorUrl ? new URL(simulatorUrl).origin : "https://admin.shopify.com";
  const store = shopDomain.replace(/\.myshopify\.com$/, "");
  return `${admin}/store/${encodeURIComponent(store)}/apps/${encodeURIComponent(shopifyApiKey)}/app/plans`;
}

/** Test charges (never billed) everywhere but production (ADR 0060). */
export function testCharges(): boolean {
  return env().nodeEnv !== "production";
}

/** The GIDs a numeric `charge_id` of a return URL may stand for. */
export function chargeGids(chargeId: string): string[] {
  if (!/^\d{1,20}$/.test(chargeId)) return [];
  return [`gid://shopify/AppSubscription/${chargeId}`, `gid://shopify/AppPurchaseOneTime/${chargeId}`];
}
