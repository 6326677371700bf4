import type { Db } from "~/db.server";

import { handleShopGone } from "./handle-uninstall.server";
import { processWebhookOnce, type Delivery } from "./process-once.server";

export const COMPLIANCE_TOPICS = ["CUSTOMERS_DATA_REQUEST", "CUSTOMERS_REDACT", "SHOP_REDACT"] as const;

/**
 * Compliance webhooks. Lightbox stores no customer data, so customer requests are recorded
 * (proof that they were answered) and need no further action; shop/redact purges the shop.
 * See docs/PRIVACY.md.
 */
export async function handleComplianceWebhook(
  db: Db,
  shop: string,
  payload: { customer?: { id?: unknown } },
  delivery: Delivery,
): Promise<boolean> {
  const customerId = payload.customer?.id != null ? String(payload.customer.id) : null;
  const record = () =>
    db.complianceRequest.createMany({
      data: [{ shop, topic: delivery.topic, webhookId: delivery.webhookId, customerId }],
      skipDuplicates: true,
    });
  if (delivery.topic === "SHOP_REDACT") {
    await record();
    return handleShopGone(db, shop, delivery);
  }
  return processWebhookOnce(db, delivery, async () => {
    await record();
  });
}
