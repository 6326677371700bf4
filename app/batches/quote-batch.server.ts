// The cost preview of a batch, before anything runs: products x images x price against the
// balance (or "billed to your Gemini key"), and how long it should take at the key's quota.
import { creditBalance } from "~/credits/ledger.server";
import { priceOf } from "~/credits/prices";
import type { Db } from "~/db.server";
import { env } from "~/env.server";
import { typicalMsPerImage } from "~/generation/generation-view.server";
import { providerChoice } from "~/generation/provider-for-shop.server";

import type { BatchSettings } from "./batch-input";
import { batchWindow, estimatedSeconds } from "./pacing";
import type { SelectedProduct } from "./select-products.server";

export type BatchQuote = {
  /** Products the selection matched. */
  matched: number;
  /** Of those, products without a photo to start from (left out). */
  withoutPhoto: number;
  /** Products the batch would work on. */
  products: number;
  imagesPerProduct: number;
  /** Credits per product (0: free). */
  pricePerProduct: number;
  totalCredits: number;
  balance: number;
  /** Products the balance pays for (all of them when free). */
  covered: number;
  /** Balance once the covered products are made. */
  balanceAfter: number;
  /** Who pays: Lightbox credits, the shop's own Gemini key, or nobody (offline compositor, no AI). */
  billing: "credits" | "own_key" | "offline";
  provider: "gemini" | "offline";
  estimatedSeconds: number;
  /** Products worked on at once. */
  concurrency: number;
  imagesPerMinute: number | null;
  /** The first products, for the preview. */
  sample: Array<{ id: string; title: string; imageUrl: string | null }>;
};

export async function quoteBatch(db: Db, shopId: string, settings: BatchSettings, selected: SelectedProduct[]): Promise<BatchQuote> {
  const usable = selected.filter((product) => product.hasImage);
  const choice = await providerChoice(db, shopId);
  const [balance, typical] = await Promise.all([
    creditBalance(db, shopId),
    typicalMsPerImage(db, { shopId, provider: choice.kind, model: settings.model, resolution: settings.resolution }),
  ]);
  const price = priceOf({ model: settings.model, resolution: settings.resolution, variants: settings.variants, free: choice.free });
  const covered = price > 0 ? Math.min(usable.length, Math.floor(balance / price)) : usable.length;
  const pace = {
    provider: choice.kind,
    imagesPerMinute: choice.kind === "gemini" ? env().geminiImagesPerMinute : null,
    typicalMsPerImage: typical,
    variants: settings.variants,
    jobConcurrency: env().jobConcurrency,
  };
  return {
    matched: selected.length,
    withoutPhoto: selected.length - usable.length,
    products: usable.length,
    imagesPerProduct: settings.variants,
    pricePerProduct: price,
    totalCredits: price * usable.length,
    balance,
    covered,
    balanceAfter: balance - price * covered,
    billing: choice.kind === "offline" ? "offline" : choice.usesOwnKey ? "own_key" : "credits",
    provider: choice.kind,
    estimatedSeconds: estimatedSeconds({ ...pace, products: covered }),
    concurrency: batchWindow(pace),
    imagesPerMinute: pace.imagesPerMinute,
    sample: usable.slice(0, 12).map(({ id, title, imageUrl }) => ({ id, title, imageUrl })),
  };
}
