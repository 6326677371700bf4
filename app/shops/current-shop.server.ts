import type { Db } from "~/db.server";

import { registerShop } from "./register-shop.server";

/** The Shop row for an authenticated session's shop (created if the install hook never ran). */
export async function currentShop(db: Db, domain: string) {
  const shop = await db.shop.findUnique({ where: { domain } });
  return shop ?? registerShop(db, domain);
}
