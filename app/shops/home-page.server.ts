import { countAssets } from "~/assets/count-assets.server";
import type { Db } from "~/db.server";
import type { Shop } from "~/generated/prisma/client";

/** What the home page shows: the shop's name, its credits and how many images it has. */
export async function homePage(db: Db, shop: Pick<Shop, "id" | "domain" | "name" | "creditBalance">) {
  const { uploads, generated } = await countAssets(db, shop.id);
  return { shopName: shop.name ?? shop.domain, credits: shop.creditBalance, uploads, generated };
}

export type HomePageData = Awaited<ReturnType<typeof homePage>>;
