// The merchant chooses a plan or a credit pack: Lightbox asks Shopify for the charge, remembers
// what it is for (a PENDING BillingCharge), and hands back Shopify's confirmation URL, where the
// merchant approves or declines. Nothing is granted here (sync-charge.server.ts does, once).
// Choosing Free cancels the paid plan at once (its cycle's credits stay until the cycle ends).
import { BILLING_CURRENCY, CREDIT_PACKS, isCreditPackId, isPlanId, PLANS } from "~/credits/prices";
import type { Db } from "~/db.server";
import { AppError } from "~/errors";
import type { AdminGraphql } from "~/shopify-admin/graphql.server";

import { billingReturnUrl, testCharges } from "./charge-urls.server";
import { currentSubscription } from "./current-plan.server";
import { offerName } from "./offers";
import { cancelSubscription, createPurchase, createSubscription } from "./shopify-billing.server";
import { syncCharge } from "./sync-charge.server";

type Shop = { id: string; domain: string };

export type ChargeRequest = { confirmationUrl: string } | { cancelled: string };

type Offer = { kind: "subscription" | "purchase"; offerId: string; name: string; price: string; credits: number };

/** Asks Shopify for the charge and records what it is for, PENDING until Shopify says otherwise. */
async function requestCharge(db: Db, graphql: AdminGraphql, shop: Shop, offer: Offer, create: typeof createSubscription): Promise<{ confirmationUrl: string }> {
  const test = testCharges();
  const { chargeId, confirmationUrl } = await create(graphql, { name: offer.name, price: offer.price, currencyCode: BILLING_CURRENCY, returnUrl: billingReturnUrl(shop.domain), test });
  await db.billingCharge.create({
    data: { shopId: shop.id, kind: offer.kind, chargeId, offerId: offer.offerId, credits: offer.credits, price: offer.price, currencyCode: BILLING_CURRENCY, test, status: "PENDING" },
  });
  return { confirmationUrl };
}

export async function requestPlan(db: Db, graphql: AdminGraphql, shop: Shop, planId: string): Promise<ChargeRequest> {
  if (!isPlanId(planId)) throw new AppError("UNPROCESSABLE", `There is no plan "${planId}". Choose one of ${Object.values(PLANS).map((p) => p.name).join(", ")}.`);
  const current = await currentSubscription(db, shop.id);
  if ((current?.offerId ?? "free") === planId) throw new AppError("CONFLICT", `You are on the ${PLANS[planId].name} plan already.`);
  if (planId === "free") {
    await cancelSubscription(graphql, current!.chargeId);
    await syncCharge(db, graphql, { shopId: shop.id, chargeIds: [current!.chargeId] });
    return { cancelled: offerName(current!) };
  }
  const plan = PLANS[planId];
  return requestCharge(db, graphql, shop, { kind: "subscription", offerId: planId, name: `Lightbox ${plan.name}`, price: plan.monthlyPrice, credits: plan.includedCredits }, createSubscription);
}

export async function requestCreditPack(db: Db, graphql: AdminGraphql, shop: Shop, packId: string): Promise<{ confirmationUrl: string }> {
  if (!isCreditPackId(packId)) {
    throw new AppError("UNPROCESSABLE", `There is no credit pack "${packId}". Choose one of ${Object.values(CREDIT_PACKS).map((p) => p.name).join(", ")}.`);
  }
  const pack = CREDIT_PACKS[packId];
  return requestCharge(db, graphql, shop, { kind: "purchase", offerId: packId, name: `Lightbox ${pack.name}`, price: pack.price, credits: pack.credits }, createPurchase);
}
