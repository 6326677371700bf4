import type { Db } from "~/db.server";
import { recentExports } from "~/exports/export-view.server";
import type { AssetKind } from "~/generated/prisma/client";
import type { ObjectStorage } from "~/storage/types";

import { assetSummary, type AssetSummary } from "./asset-summary";
import { listAssets } from "./list-assets.server";
import { thumbUrl } from "./thumbnail.server";

export const ASSET_KINDS = ["upload", "product_photo", "generated"] as const satisfies readonly AssetKind[];

export type LibraryItem = AssetSummary & { thumbUrl: string };

/** One page of the Library: the shop's assets with short-lived thumbnail URLs, and its latest exports. */
export async function libraryPage(
  db: Db,
  storage: ObjectStorage,
  input: { shopId: string; kind?: AssetKind; productId?: string; cursor?: string | null; limit?: number },
) {
  const { assets, nextCursor } = await listAssets(db, input);
  const items: LibraryItem[] = await Promise.all(
    assets.map(async (asset) => ({ ...assetSummary(asset), thumbUrl: await thumbUrl(storage, asset, 3600) })),
  );
  return { items, nextCursor, exports: await recentExports(db, storage, input.shopId) };
}
