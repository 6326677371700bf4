import type { Db } from "~/db.server";
import type { ObjectStorage } from "~/storage/types";

import { assetSummary } from "./asset-summary";
import { assetUrls, getAsset } from "./get-asset.server";

/** What the Library's image page shows: the image's facts and its download URLs. */
export async function assetPage(db: Db, storage: ObjectStorage, input: { shopId: string; assetId: string }) {
  const asset = await getAsset(db, input.shopId, input.assetId);
  // An hour: the page may stay open a while before "Download original" is clicked.
  const urls = await assetUrls(storage, asset, 3600);
  return { asset: { ...assetSummary(asset), format: asset.format, metadata: asset.metadata }, urls };
}

export type AssetPageData = Awaited<ReturnType<typeof assetPage>>;
