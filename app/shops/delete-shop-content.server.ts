// "Delete all my data" (Settings): everything the shop's use of Lightbox left behind, while the
// shop stays installed. Kept: the Shop row with its settings (own Gemini key, webhook secret),
// its Shopify sessions, and the credit ledger (the record of what was bought and spent).
// The order is the uninstall purge's (docs/decisions/0071-*): first the API tokens go and every
// process drops the shop's cached tokens, so nothing new starts; then the stored objects, the rows,
// and the objects once more (anything an upload or a job finishing meanwhile wrote).
import { invalidateShop } from "~/cache/hot-cache.server";
import type { Db, DbTx } from "~/db.server";
import { shopPrefix } from "~/storage/index.server";
import type { ObjectStorage } from "~/storage/types";

/**
 * The shop's content, table by table: a new table with a shopId goes here or, if it must survive
 * (like the ledger), into KEPT_ON_DELETE_ALL; tests/integration/settings.test.ts fails otherwise.
 */
export const SHOP_CONTENT: ReadonlyArray<{ table: string; delete(tx: DbTx, shopId: string): Promise<{ count: number }> }> = [
  { table: "Publication", delete: (tx, shopId) => tx.publication.deleteMany({ where: { shopId } }) },
  { table: "FidelityCheck", delete: (tx, shopId) => tx.fidelityCheck.deleteMany({ where: { shopId } }) },
  { table: "Asset", delete: (tx, shopId) => tx.asset.deleteMany({ where: { shopId } }) },
  { table: "Generation", delete: (tx, shopId) => tx.generation.deleteMany({ where: { shopId } }) },
  // Generations, publishes, exports and the outbound webhook deliveries still waiting.
  { table: "Job", delete: (tx, shopId) => tx.job.deleteMany({ where: { shopId } }) },
  { table: "ApiRequestLog", delete: (tx, shopId) => tx.apiRequestLog.deleteMany({ where: { shopId } }) },
  { table: "IdempotencyRecord", delete: (tx, shopId) => tx.idempotencyRecord.deleteMany({ where: { shopId } }) },
  { table: "ProductSnapshot", delete: (tx, shopId) => tx.productSnapshot.deleteMany({ where: { shopId } }) },
  { table: "ProductLock", delete: (tx, shopId) => tx.productLock.deleteMany({ where: { shopId } }) },
  { table: "Export", delete: (tx, shopId) => tx.export.deleteMany({ where: { shopId } }) },
  // Catalogue batches and their items (their jobs and generations are deleted above).
  { table: "BatchItem", delete: (tx, shopId) => tx.batchItem.deleteMany({ where: { shopId } }) },
  { table: "Batch", delete: (tx, shopId) => tx.batch.deleteMany({ where: { shopId } }) },
  { table: "ApiToken", delete: (tx, shopId) => tx.apiToken.deleteMany({ where: { shopId } }) },
];

/** Tables with a shopId whose rows "Delete all my data" keeps, and why. */
export const KEPT_ON_DELETE_ALL: Readonly<Record<string, string>> = {
  Shop: "the installation itself and its settings",
  CreditEntry: "the ledger: what was bought and spent",
  BillingCharge: "the charges Shopify bills for: the record of what was bought (the ledger names them)",
};

export async function deleteShopContent(db: Db, storage: ObjectStorage, shopId: string) {
  // 1. No new API work: the tokens are gone, and no process keeps one in its cache.
  const tokens = await db.apiToken.deleteMany({ where: { shopId } });
  await invalidateShop(shopId);
  // 2-4. Objects while the rows still name them, the rows, then the objects written meanwhile.
  let objects = await storage.deletePrefix(shopPrefix(shopId));
  const counts = await db.$transaction(async (tx) => {
    let rows = 0;
    for (const content of SHOP_CONTENT) rows += (await content.delete(tx, shopId)).count;
    return rows;
  });
  objects += await storage.deletePrefix(shopPrefix(shopId));
  await invalidateShop(shopId);
  return { objects, rows: tokens.count + counts };
}
