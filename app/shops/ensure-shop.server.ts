import type { Db } from "~/db.server";
import type { AdminGraphql } from "~/shopify-admin/graphql.server";

import { currentShop } from "./current-shop.server";
import { registerShop } from "./register-shop.server";
import { fetchShopDetails } from "./shop-details.server";

/**
 * The shop's row with its details. The install hook fills them in, but the first page load can
 * race it (Remix runs the layout's and the page's loaders at once), so fetch them if missing.
 */
export async function ensureShop(db: Db, graphql: AdminGraphql, domain: string) {
  const shop = await currentShop(db, domain);
  if (shop.name) return shop;
  const details = await fetchShopDetails(graphql).catch(() => null);
  return details ? registerShop(db, domain, details) : shop;
}
