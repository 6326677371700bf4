// Renewals. Shopify bills a plan every 30 days and moves the subscription's currentPeriodEnd on,
// but documents no webhook for a new period (app_subscriptions/update is for status changes), so
// Lightbox reads the shop's subscriptions: when the Plans page opens, and hourly for shops whose
// period has ended (billing-job.server.ts). A period seen for the first time grants its credits
// (once: the ledger key is charge + period end); included credits whose cycle ended expire.
import { expirePlanCredits } from "~/credits/plan-credits.server";
import type { Db } from "~/db.server";
import type { AdminGraphql } from "~/shopify-admin/graphql.server";

import { fetchActiveSubscriptions, fetchCharge } from "./shopify-billing.server";
import { applyShopifyCharge } from "./sync-charge.server";

/** Brings the shop's plan up to date with Shopify. Returns the credits granted (a new period). */
export async function refreshPlan(db: Db, graphql: AdminGraphql, input: { shopId: string; now?: Date }): Promise<number> {
  let granted = 0;
  const active = await fetchActiveSubscriptions(graphql);
  const rows = await db.billingCharge.findMany({
    where: { shopId: input.shopId, kind: "subscription", OR: [{ chargeId: { in: active.map((s) => s.id) } }, { status: { in: ["ACTIVE", "FROZEN", "PENDING"] } }] },
  });
  for (const row of rows) {
    const remote = active.find((s) => s.id === row.chargeId) ?? (await fetchCharge(graphql, row.chargeId));
    if (!remote) continue;
    granted += (await applyShopifyCharge(db, row, remote)).granted;
  }
  await expirePlanCredits(db, { shopId: input.shopId, now: input.now });
  return granted;
}

/** Shops whose plan period or included credits have ended by `now`: the renewal job's work list. */
export async function shopsDueForRenewal(db: Db, now: Date): Promise<Array<{ id: string; domain: string }>> {
  return db.shop.findMany({
    where: {
      OR: [
        { includedCreditsExpireAt: { lte: now } },
        { billingCharges: { some: { kind: "subscription", status: "ACTIVE", currentPeriodEnd: { lte: now } } } },
      ],
    },
    select: { id: true, domain: true },
    take: 500,
  });
}
