import type { Db } from "~/db.server";
import { purgeShop } from "~/purge/purge-shop.server";

import { processWebhookOnce, type Delivery } from "./process-once.server";

/** app/uninstalled and shop/redact: delete everything the shop owns, once per delivery. */
export async function handleShopGone(db: Db, shop: string, delivery: Delivery): Promise<boolean> {
  return processWebhookOnce(db, delivery, () => purgeShop(db, shop));
}
