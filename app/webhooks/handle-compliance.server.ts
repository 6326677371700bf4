import type { Db } from "~/db.server";
import { purgeShop } from "~/purge/purge-shop.server";
import { appInstalledOn } from "~/shopify-admin/app-installed.server";

import { assertPayloadShop } from "./payload-shop";
import { processWebhookOnce, type Delivery } from "./process-once.server";

export const COMPLIANCE_TOPICS = ["CUSTOMERS_DATA_REQUEST", "CUSTOMERS_REDACT", "SHOP_REDACT"] as const;

export type ComplianceOptions = {
  /** Whether Lightbox is installed on the shop right now (default: ask Shopify). */
  isInstalled?: (shopDomain: string) => Promise<boolean>;
};

/**
 * Compliance webhooks. Lightbox stores no customer data, so customer requests are recorded
 * (proof that they were answered) and need no further action. shop/redact arrives 48 hours after
 * an uninstall and purges the shop, unless the shop has installed Lightbox again since: its new
 * installation is not what the redact is about (docs/decisions/0071-*). See docs/PRIVACY.md.
 */
export async function handleComplianceWebhook(
  db: Db,
  shop: string,
  payload: { customer?: { id?: unknown } },
  delivery: Delivery,
  options: ComplianceOptions = {},
): Promise<boolean> {
  const customerId = payload.customer?.id != null ? String(payload.customer.id) : null;
  const record = () =>
    db.complianceRequest.createMany({
      data: [{ shop, topic: delivery.topic, webhookId: delivery.webhookId, customerId }],
      skipDuplicates: true,
    });
  if (delivery.topic !== "SHOP_REDACT") {
    return processWebhookOnce(db, delivery, async () => {
      await record();
    });
  }
  assertPayloadShop(shop, payload);
  return processWebhookOnce(db, delivery, async () => {
    if (await reinstalled(db, shop, options.isInstalled ?? appInstalledOn)) {
      console.log(`[webhooks] shop/redact for ${shop}: Lightbox was installed again since the uninstall; the new installation is kept`);
    } else {
      await purgeShop(db, shop);
    }
    await record();
  });
}

/**
 * The uninstall purge removed the shop's row and sessions, so a shop that has both again has
 * installed Lightbox since; Shopify confirms it still honours that installation's token (a shop
 * whose app/uninstalled never reached us fails that check and is purged).
 */
async function reinstalled(db: Db, shop: string, isInstalled: (shop: string) => Promise<boolean>): Promise<boolean> {
  const [row, sessions] = await Promise.all([
    db.shop.findUnique({ where: { domain: shop }, select: { id: true } }),
    db.session.count({ where: { shop, isOnline: false } }),
  ]);
  if (!row || sessions === 0) return false;
  return isInstalled(shop);
}
