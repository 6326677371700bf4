// What the "New batch" page offers: styles, models and sizes, prices, who pays, the balance.
import { creditBalance } from "~/credits/ledger.server";
import { CREDIT_PRICES } from "~/credits/prices";
import type { Db } from "~/db.server";
import { offeredModels } from "~/generation/lineup.server";
import { ASPECT_RATIOS } from "~/generation/models";
import { PRESETS } from "~/generation/presets";
import { providerChoice } from "~/generation/provider-for-shop.server";

import { MAX_BATCH_PRODUCTS, PRODUCT_STATUSES } from "./batch-input";

export async function batchFormData(db: Db, shopId: string) {
  const [balance, choice] = await Promise.all([creditBalance(db, shopId), providerChoice(db, shopId)]);
  return {
    presets: PRESETS.map((p) => ({ id: p.id, name: p.name, description: p.description })),
    /** What this server offers now, the default first. */
    models: offeredModels(),
    aspectRatios: [...ASPECT_RATIOS],
    statuses: [...PRODUCT_STATUSES],
    prices: CREDIT_PRICES,
    provider: choice,
    balance,
    maxProducts: MAX_BATCH_PRODUCTS,
  };
}

export type BatchFormData = Awaited<ReturnType<typeof batchFormData>>;
