// The list of purgers, in dependency order: the foundation's first; features append theirs.
import { invalidateShop } from "~/cache/hot-cache.server";
import { shopPrefix } from "~/storage/index.server";
import { appStorage } from "~/storage/from-env.server";

import { registerPurger } from "./registry.server";

registerPurger({
  name: "foundation",
  models: ["Shop", "Session", "CreditEntry"], // CreditEntry cascades with Shop
  async purge({ db, shopDomain }) {
    await db.$transaction([
      db.session.deleteMany({ where: { shop: shopDomain } }),
      db.shop.deleteMany({ where: { domain: shopDomain } }),
    ]);
  },
});

registerPurger({
  name: "jobs",
  models: ["Job"],
  async purge({ db, shopId }) {
    if (shopId) await db.job.deleteMany({ where: { shopId } });
  },
});

registerPurger({
  name: "assets",
  models: ["Asset"], // rows cascade with Shop; objects go here, while the shop id is known
  async purge({ shopId }) {
    if (shopId) await appStorage().deletePrefix(shopPrefix(shopId));
  },
});

registerPurger({
  name: "hot-caches",
  models: [], // no rows: drops the shop's cached tokens and balance (app/cache)
  async purge({ shopId }) {
    if (shopId) await invalidateShop(shopId);
  },
});
