// app_subscriptions/update and app_purchases_one_time/update: once per delivery
// (processWebhookOnce), the charge is read from Shopify and applied (sync-charge.server.ts). The
// body only names the charge; its status is taken from Shopify at the time of processing, so a
// late or out-of-order delivery cannot undo a newer state.
import type { Db } from "~/db.server";
import type { AdminGraphql } from "~/shopify-admin/graphql.server";
import { processWebhookOnce, type Delivery } from "~/webhooks/process-once.server";

import { syncCharge } from "./sync-charge.server";

type ChargePayload = {
  app_subscription?: { admin_graphql_api_id?: unknown };
  app_purchase_one_time?: { admin_graphql_api_id?: unknown };
};

export async function handleChargeWebhook(db: Db, graphql: AdminGraphql, shopDomain: string, payload: unknown, delivery: Delivery): Promise<boolean> {
  const body = (payload ?? {}) as ChargePayload;
  const chargeId = body.app_subscription?.admin_graphql_api_id ?? body.app_purchase_one_time?.admin_graphql_api_id;
  return processWebhookOnce(db, delivery, async () => {
    if (typeof chargeId !== "string") return;
    const charge = await db.billingCharge.findFirst({ where: { chargeId, shop: { domain: shopDomain } }, select: { shopId: true } });
    // Not a charge Lightbox asked for (or the shop was purged since): nothing to apply.
    if (!charge) return;
    await syncCharge(db, graphql, { shopId: charge.shopId, chargeIds: [chargeId] });
  });
}
