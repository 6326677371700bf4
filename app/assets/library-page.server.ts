import type { Db } from "~/db.server";
import type { AssetKind } from "~/generated/prisma/client";
import type { ObjectStorage } from "~/storage/types";

import { listAssets } from "./list-assets.server";

export const ASSET_KINDS = ["upload", "product_photo", "generated"] as const satisfies readonly AssetKind[];

export type LibraryItem = {
  id: string;
  kind: AssetKind;
  filename: string | null;
  width: number;
  height: number;
  bytes: number;
  productId: string | null;
  createdAt: string;
  thumbUrl: string;
};

/** One page of the Library: the shop's assets with short-lived thumbnail URLs. */
export async function libraryPage(
  db: Db,
  storage: ObjectStorage,
  input: { shopId: string; kind?: AssetKind; productId?: string; cursor?: string | null; limit?: number },
) {
  const { assets, nextCursor } = await listAssets(db, input);
  const items: LibraryItem[] = await Promise.all(
    assets.map(async (asset) => ({
      id: asset.id,
      kind: asset.kind,
      filename: asset.filename,
      width: asset.width,
      height: asset.height,
      bytes: asset.bytes,
      productId: asset.productId,
      createdAt: asset.createdAt.toISOString(),
      thumbUrl: await storage.presignGet(asset.thumbKey, { expiresIn: 3600 }),
    })),
  );
  return { items, nextCursor };
}
