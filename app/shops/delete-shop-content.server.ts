import type { Db } from "~/db.server";
import { shopPrefix } from "~/storage/index.server";
import type { ObjectStorage } from "~/storage/types";

/**
 * "Delete all my data" from Settings: every image (objects first, then rows), generation, job,
 * publish record, API token and request log of the shop. The shop stays installed; its credit
 * ledger is kept (it is the record of what was bought and spent).
 */
export async function deleteShopContent(db: Db, storage: ObjectStorage, shopId: string) {
  const objects = await storage.deletePrefix(shopPrefix(shopId));
  const [publications, assets, generations, jobs, tokens, logs, snapshots] = await db.$transaction([
    db.publication.deleteMany({ where: { shopId } }),
    db.asset.deleteMany({ where: { shopId } }),
    db.generation.deleteMany({ where: { shopId } }),
    db.job.deleteMany({ where: { shopId } }),
    db.apiToken.deleteMany({ where: { shopId } }),
    db.apiRequestLog.deleteMany({ where: { shopId } }),
    db.productSnapshot.deleteMany({ where: { shopId } }),
  ]);
  return {
    objects,
    rows: publications.count + assets.count + generations.count + jobs.count + tokens.count + logs.count + snapshots.count,
  };
}
