// One charge brought up to date from Shopify, and its credits granted exactly once: the same
// verb serves the merchant's return from the confirmation page, both billing webhooks and the
// renewal check, whichever comes first; the others find the grant's ledger key taken and change
// nothing. A purchase grants its pack once (key pack:<charge>); a subscription grants each paid
// period once (key plan:<charge>:<period end>). See docs/decisions/0061-exactly-once-credit-grants.md.
import { grantCredits } from "~/credits/ledger.server";
import { startPlanCycle } from "~/credits/plan-credits.server";
import type { Db } from "~/db.server";
import type { BillingCharge } from "~/generated/prisma/client";
import type { AdminGraphql } from "~/shopify-admin/graphql.server";

import { UnknownChargeError } from "./errors";
import { offerName } from "./offers";
import { fetchCharge, type ShopifyCharge } from "./shopify-billing.server";

export type ChargeOutcome = { charge: BillingCharge; granted: number };

/** The ledger key of a plan's paid period: Shopify's charge id and the day the period ends. */
export function planCycleKey(chargeId: string, periodEnd: Date): string {
  return `plan:${chargeId}:${periodEnd.toISOString().slice(0, 10)}`;
}

/** Grants what an ACTIVE charge gives, once. Returns the credits granted now (0 if none or already). */
async function grantFor(db: Db, charge: BillingCharge): Promise<number> {
  if (charge.status !== "ACTIVE") return 0;
  if (charge.kind === "purchase") {
    const granted = await grantCredits(db, { shopId: charge.shopId, amount: charge.credits, key: `pack:${charge.chargeId}`, reason: `Credit pack: ${offerName(charge)}` });
    return granted ? charge.credits : 0;
  }
  if (!charge.currentPeriodEnd || charge.credits <= 0) return 0;
  const granted = await startPlanCycle(db, {
    shopId: charge.shopId,
    key: planCycleKey(charge.chargeId, charge.currentPeriodEnd),
    credits: charge.credits,
    expiresAt: charge.currentPeriodEnd,
    reason: `${offerName(charge)}: credits for the cycle ending ${charge.currentPeriodEnd.toISOString().slice(0, 10)}`,
  });
  return granted ? charge.credits : 0;
}

/** Records Shopify's view of a charge we know, then grants what it gives. */
export async function applyShopifyCharge(db: Db, row: BillingCharge, remote: ShopifyCharge): Promise<ChargeOutcome> {
  const charge = await db.billingCharge.update({
    where: { id: row.id },
    data: { status: remote.status, test: remote.test, currentPeriodEnd: remote.currentPeriodEnd },
  });
  return { charge, granted: await grantFor(db, charge) };
}

/** Reads the charge from Shopify and applies it. UnknownChargeError for a charge of another shop or app. */
export async function syncCharge(db: Db, graphql: AdminGraphql, input: { shopId: string; chargeIds: string[] }): Promise<ChargeOutcome> {
  const row = input.chargeIds.length > 0 ? await db.billingCharge.findFirst({ where: { shopId: input.shopId, chargeId: { in: input.chargeIds } } }) : null;
  if (!row) throw new UnknownChargeError();
  const remote = await fetchCharge(graphql, row.chargeId);
  if (!remote) throw new UnknownChargeError();
  return applyShopifyCharge(db, row, remote);
}
