import { invalidateShop } from "~/cache/hot-cache.server";
import type { Db } from "~/db.server";

import "./purgers.server";
import { registeredPurgers } from "./registry.server";

/**
 * Deletes every row and stored object the shop owns. Safe to run twice; purgers run in
 * registration order, later features first-registered last (objects before rows they need).
 */
export async function purgeShop(db: Db, shopDomain: string): Promise<void> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  const ctx = { db, shopDomain, shopId: shop?.id ?? null };
  for (const purger of [...registeredPurgers()].reverse()) {
    await purger.purge(ctx);
  }
  // A request served while the purge ran may have cached the shop's token or balance again.
  if (ctx.shopId) await invalidateShop(ctx.shopId);
}
