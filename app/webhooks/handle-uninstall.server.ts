import type { Db } from "~/db.server";
import { purgeShop } from "~/purge/purge-shop.server";

import { assertPayloadShop } from "./payload-shop";
import { processWebhookOnce, type Delivery } from "./process-once.server";

/**
 * app/uninstalled: delete everything the shop owns, once per delivery, and only when the payload
 * names the shop the (signed) header names.
 */
export async function handleShopGone(db: Db, shop: string, payload: unknown, delivery: Delivery): Promise<boolean> {
  assertPayloadShop(shop, payload);
  return processWebhookOnce(db, delivery, () => purgeShop(db, shop));
}
