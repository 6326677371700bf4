import type { Db } from "~/db.server";

export type ShopDetails = { name?: string | null; email?: string | null; currencyCode?: string | null };

/** Creates the shop's record on install (or reinstall), and refreshes its details. */
export async function registerShop(db: Db, domain: string, details: ShopDetails = {}) {
  const data = {
    name: details.name ?? null,
    email: details.email ?? null,
    currencyCode: details.currencyCode ?? null,
  };
  return db.shop.upsert({
    where: { domain },
    create: { domain, ...data },
    update: { ...data, uninstalledAt: null },
  });
}
