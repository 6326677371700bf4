// What Lightbox costs and what it gives, in one table: the credits an image costs, the plans
// (monthly price and the credits included each cycle) and the credit packs. One credit is about
// the provider cost of one standard image; the premium model and larger sizes cost more, honestly.
// Money amounts are decimal strings in BILLING_CURRENCY, as Shopify's Billing API takes them.
import type { ImageModelId } from "~/generation/models";

export const TRIAL_CREDITS = 10;

/**
 * Credits per image, by model and size: every model of app/generation/models.ts, every size it
 * offers (a test holds the two tables together). The draft model costs half a credit per image; a
 * generation is charged whole credits, rounded up (priceOf), so 2 draft images cost 1 credit.
 */
export const CREDIT_PRICES = {
  "gemini-3.5-flash-image": { "1K": 1, "2K": 2, "4K": 3 },
  "gemini-3.1-flash-lite-image": { "1K": 0.5 },
  "gemini-3.1-flash-image": { "1K": 1, "2K": 2, "4K": 3 },
  "gemini-3-pro-image": { "1K": 4, "2K": 4, "4K": 7 },
} as const satisfies Record<ImageModelId, Partial<Record<"1K" | "2K" | "4K", number>>>;

/** Shopify bills app charges in USD (or the partner's currency); every amount below is in it. */
export const BILLING_CURRENCY = "USD";

export type Plan = {
  name: string;
  /** Charged every 30 days through a Shopify app subscription; "0" = no subscription at all. */
  monthlyPrice: string;
  /** Granted at the start of each paid cycle; what is left expires when the cycle ends. */
  includedCredits: number;
  summary: string;
};

export const PLANS = {
  free: { name: "Free", monthlyPrice: "0", includedCredits: 0, summary: `${TRIAL_CREDITS} trial credits once, then credit packs` },
  starter: { name: "Starter", monthlyPrice: "19.00", includedCredits: 200, summary: "200 credits every 30 days; unused ones expire" },
  pro: { name: "Pro", monthlyPrice: "49.00", includedCredits: 600, summary: "600 credits every 30 days; unused ones expire" },
} as const satisfies Record<string, Plan>;

export type PlanId = keyof typeof PLANS;
export const PLAN_IDS = Object.keys(PLANS) as PlanId[];

export type CreditPack = { name: string; credits: number; price: string };

/** One-time purchases: their credits never expire and stay whatever the plan does. */
export const CREDIT_PACKS = {
  "pack-100": { name: "100 credits", credits: 100, price: "12.00" },
  "pack-500": { name: "500 credits", credits: 500, price: "50.00" },
} as const satisfies Record<string, CreditPack>;

export type CreditPackId = keyof typeof CREDIT_PACKS;
export const CREDIT_PACK_IDS = Object.keys(CREDIT_PACKS) as CreditPackId[];

export const isPlanId = (value: string): value is PlanId => Object.hasOwn(PLANS, value);
export const isCreditPackId = (value: string): value is CreditPackId => Object.hasOwn(CREDIT_PACKS, value);

export type PricedModel = keyof typeof CREDIT_PRICES;
export type Resolution = "1K" | "2K" | "4K";

export type PriceInput = {
  model: PricedModel;
  resolution: Resolution;
  variants: number;
  /** Images made without spending Lightbox's Gemini quota: the offline compositor, or the shop's own key. */
  free: boolean;
};

/** Credits per image of this model at this size; undefined where the model does not offer the size. */
export function creditsPerImage(model: string, resolution: string): number | undefined {
  const table: Partial<Record<string, number>> | undefined = Object.hasOwn(CREDIT_PRICES, model) ? CREDIT_PRICES[model as PricedModel] : undefined;
  return table?.[resolution];
}

/** Whole credits a generation costs (the Studio's and the batch preview's figure too). */
export function priceOf({ model, resolution, variants, free }: PriceInput): number {
  if (free) return 0;
  const perImage = creditsPerImage(model, resolution);
  if (perImage === undefined) throw new RangeError(`${model} has no price at ${resolution}`);
  return Math.ceil(perImage * variants);
}
