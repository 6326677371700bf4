import { grantCredits } from "~/credits/ledger.server";
import { TRIAL_CREDITS } from "~/credits/prices";
import type { Db } from "~/db.server";

import { claimTrial } from "./trial-claim.server";

export type ShopDetails = { name?: string | null; email?: string | null; currencyCode?: string | null };

/**
 * Creates the shop's record on install (or reinstall), and refreshes its details. The trial
 * credits come once per store, ever: a reinstalled store (its rows purged on uninstall) finds
 * its trial claim and gets none.
 */
export async function registerShop(db: Db, domain: string, details: ShopDetails = {}) {
  const data = {
    name: details.name ?? null,
    email: details.email ?? null,
    currencyCode: details.currencyCode ?? null,
  };
  const shop = await db.shop.upsert({
    where: { domain },
    create: { domain, ...data },
    update: { ...data, uninstalledAt: null },
  });
  const key = `trial:${shop.id}`;
  if (!(await db.creditEntry.findUnique({ where: { key }, select: { id: true } }))) {
    await db.$transaction(async (tx) => {
      if (await claimTrial(tx, domain)) await grantCredits(tx, { shopId: shop.id, amount: TRIAL_CREDITS, key, reason: "Free trial credits" });
    });
  }
  return shop;
}
