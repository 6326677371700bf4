import type { Db } from "~/db.server";

/** How many images a shop has: its own (uploads and product photos) and generated ones. */
export async function countAssets(db: Db, shopId: string): Promise<{ uploads: number; generated: number }> {
  const [uploads, generated] = await Promise.all([
    db.asset.count({ where: { shopId, kind: { not: "generated" } } }),
    db.asset.count({ where: { shopId, kind: "generated" } }),
  ]);
  return { uploads, generated };
}
