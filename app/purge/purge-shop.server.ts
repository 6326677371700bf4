import { invalidateShop } from "~/cache/hot-cache.server";
import type { Db } from "~/db.server";

import { PURGERS } from "./purgers.server";

/**
 * Deletes every row and stored object the shop owns. Safe to run twice; the purgers run in
 * their list's order (app/purge/purgers.server.ts).
 */
export async function purgeShop(db: Db, shopDomain: string): Promise<void> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  const ctx = { db, shopDomain, shopId: shop?.id ?? null };
  for (const purger of PURGERS) {
    await purger.purge(ctx);
  }
  // A request served while the purge ran may have cached the shop's token or balance again.
  if (ctx.shopId) await invalidateShop(ctx.shopId);
}
