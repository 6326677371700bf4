// What a generated image costs, in credits: the one place prices live. One credit is about the
// provider cost of one standard image; the premium model and larger sizes cost more, honestly.
export const TRIAL_CREDITS = 10;

export const CREDIT_PRICES = {
  "gemini-3.1-flash-image": { "1K": 1, "2K": 2, "4K": 3 },
  "gemini-3-pro-image": { "1K": 4, "2K": 4, "4K": 7 },
} as const satisfies Record<string, Record<"1K" | "2K" | "4K", number>>;

export type PricedModel = keyof typeof CREDIT_PRICES;
export type Resolution = "1K" | "2K" | "4K";

export type PriceInput = {
  model: PricedModel;
  resolution: Resolution;
  variants: number;
  /** Images made without spending Lightbox's Gemini quota: the offline compositor, or the shop's own key. */
  free: boolean;
};

export function priceOf({ model, resolution, variants, free }: PriceInput): number {
  if (free) return 0;
  return CREDIT_PRICES[model][resolution] * variants;
}
