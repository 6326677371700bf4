import { CREDIT_PACKS, isCreditPackId, isPlanId, PLANS } from "~/credits/prices";

/** What a charge is for, as the merchant reads it: "100 credits", "Pro plan". */
export function offerName(charge: { kind: "subscription" | "purchase"; offerId: string }): string {
  if (charge.kind === "purchase") return isCreditPackId(charge.offerId) ? CREDIT_PACKS[charge.offerId].name : charge.offerId;
  return `${isPlanId(charge.offerId) ? PLANS[charge.offerId].name : charge.offerId} plan`;
}
