import { grantCredits } from "~/credits/ledger.server";
import { TRIAL_CREDITS } from "~/credits/prices";
import type { Db } from "~/db.server";

export type ShopDetails = { name?: string | null; email?: string | null; currencyCode?: string | null };

/** Creates the shop's record on install (or reinstall), and refreshes its details. */
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
  await grantCredits(db, { shopId: shop.id, amount: TRIAL_CREDITS, key: `trial:${shop.id}`, reason: "Free trial credits" });
  return shop;
}
