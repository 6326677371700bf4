// What the Plans page shows: the plan (as Shopify has it now: the page reads it on every visit,
// which is also when a new period's credits are granted), the balance and what is left of this
// cycle's included credits, the plans and packs of app/credits/prices.ts, the latest charges, and
// the outcome of a return from Shopify's confirmation page (`charge_id`).
import { BILLING_CURRENCY, CREDIT_PACK_IDS, CREDIT_PACKS, isPlanId, PLAN_IDS, PLANS, type PlanId } from "~/credits/prices";
import type { Db } from "~/db.server";
import { toAppError } from "~/errors";
import type { AdminGraphql } from "~/shopify-admin/graphql.server";

import { chargeGids } from "./charge-urls.server";
import { currentSubscription } from "./current-plan.server";
import { offerName } from "./offers";
import { refreshPlan } from "./refresh-plan.server";
import { syncCharge, type ChargeOutcome } from "./sync-charge.server";

export type ReturnedCharge = { kind: "subscription" | "purchase"; offerId: string; credits: number; status: string; granted: number };

/** Known errors (Shopify refused or unreachable, an unknown charge) become a message for a banner. */
async function orNotice<T>(work: () => Promise<T>): Promise<{ value: T | null; notice: string | null }> {
  try {
    return { value: await work(), notice: null };
  } catch (error) {
    const known = toAppError(error);
    if (!known) throw error;
    return { value: null, notice: known.userMessage };
  }
}

function returnedView(outcome: ChargeOutcome): ReturnedCharge {
  const { kind, offerId, credits, status } = outcome.charge;
  return { kind, offerId, credits, status, granted: outcome.granted };
}

export async function plansPage(db: Db, graphql: AdminGraphql, input: { shopId: string; chargeId?: string | null; now?: Date }) {
  const returned = input.chargeId ? await orNotice(() => syncCharge(db, graphql, { shopId: input.shopId, chargeIds: chargeGids(input.chargeId!) })) : null;
  const refreshed = await orNotice(() => refreshPlan(db, graphql, { shopId: input.shopId, now: input.now }));
  const [shop, subscription, charges] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: input.shopId }, select: { creditBalance: true, includedCredits: true, includedCreditsExpireAt: true } }),
    currentSubscription(db, input.shopId),
    db.billingCharge.findMany({ where: { shopId: input.shopId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 10 }),
  ]);
  const planId: PlanId = subscription && isPlanId(subscription.offerId) ? subscription.offerId : "free";
  return {
    currency: BILLING_CURRENCY,
    plan: {
      id: planId,
      name: PLANS[planId].name,
      status: subscription?.status ?? null,
      renewsAt: subscription?.status === "ACTIVE" ? (subscription.currentPeriodEnd?.toISOString() ?? null) : null,
      test: subscription?.test ?? false,
    },
    credits: {
      balance: shop.creditBalance,
      includedLeft: shop.includedCredits,
      includedExpireAt: shop.includedCreditsExpireAt?.toISOString() ?? null,
    },
    plans: PLAN_IDS.map((id) => ({ id, ...PLANS[id], current: id === planId })),
    packs: CREDIT_PACK_IDS.map((id) => ({ id, ...CREDIT_PACKS[id] })),
    returned: returned?.value ? returnedView(returned.value) : null,
    notice: returned?.notice ?? refreshed.notice,
    charges: charges.map((c) => ({
      id: c.id,
      kind: c.kind,
      name: offerName(c),
      price: c.price,
      currencyCode: c.currencyCode,
      status: c.status,
      test: c.test,
      createdAt: c.createdAt.toISOString(),
    })),
  };
}

export type PlansPageData = Awaited<ReturnType<typeof plansPage>>;
