import type { Db } from "~/db.server";
import type { ObjectStorage } from "~/storage/types";

import { assetObjectKeys } from "./display-rendition";
import { getAsset } from "./get-asset.server";

/** Removes the asset's objects for good, then its row. */
export async function deleteAsset(db: Db, storage: ObjectStorage, shopId: string, assetId: string): Promise<void> {
  const asset = await getAsset(db, shopId, assetId);
  await Promise.all(assetObjectKeys(asset).map((key) => storage.delete(key)));
  await db.asset.deleteMany({ where: { id: asset.id, shopId } });
}
