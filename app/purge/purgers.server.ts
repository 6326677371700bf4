// What a shop owns, as a plain list of purgers in the order they run (docs/decisions/0071-*):
//   1. access: the shop's API tokens and Shopify sessions stop working, and every process drops
//      the shop's cached tokens, so no new upload, generation or publish can start;
//   2. stored objects under shops/<id>/, while the rows that name them still exist;
//   3. rows (jobs, then the Shop row, which every other row cascades from, and its sessions);
//   4. stored objects again: an upload or a job that was already past its checks when the purge
//      began may have written objects meanwhile (if it writes its row after step 3, the missing
//      Shop makes that fail and it deletes its own objects: ingestAsset never leaves objects
//      without a row).
// A table whose rows outlive the purge fails the uninstall and shop/redact tests
// (tests/integration/webhooks.test.ts dumps every table for the shop's id and domain).
import { invalidateShop } from "~/cache/hot-cache.server";
import type { Db } from "~/db.server";
import { shopPrefix } from "~/storage/index.server";
import { appStorage } from "~/storage/from-env.server";

export type PurgeContext = {
  db: Db;
  /** Shop domain, e.g. "example.myshopify.com". */
  shopDomain: string;
  /** Shop row id, when the shop is known to Lightbox. */
  shopId: string | null;
};

export type Purger = {
  /** What it purges, for logs. */
  name: string;
  purge(ctx: PurgeContext): Promise<void>;
};

async function deleteObjects({ shopId }: PurgeContext) {
  if (shopId) await appStorage().deletePrefix(shopPrefix(shopId));
}

export const PURGERS: readonly Purger[] = [
  {
    name: "access", // tokens revoked, sessions gone, the shop marked uninstalled; then no cache keeps them
    async purge({ db, shopDomain, shopId }) {
      const now = new Date();
      await db.$transaction([
        db.session.deleteMany({ where: { shop: shopDomain } }),
        ...(shopId
          ? [
              db.apiToken.updateMany({ where: { shopId, revokedAt: null }, data: { revokedAt: now } }),
              db.shop.updateMany({ where: { id: shopId }, data: { uninstalledAt: now } }),
            ]
          : []),
      ]);
      if (shopId) await invalidateShop(shopId);
    },
  },
  { name: "objects", purge: deleteObjects },
  {
    name: "jobs",
    async purge({ db, shopId }) {
      if (shopId) await db.job.deleteMany({ where: { shopId } });
    },
  },
  {
    name: "rows", // the Shop row, which every other row cascades from, and any session made meanwhile
    async purge({ db, shopDomain }) {
      await db.$transaction([
        db.session.deleteMany({ where: { shop: shopDomain } }),
        db.shop.deleteMany({ where: { domain: shopDomain } }),
      ]);
    },
  },
  { name: "objects-again", purge: deleteObjects },
];
