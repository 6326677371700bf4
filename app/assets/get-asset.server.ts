import type { Db } from "~/db.server";
import { notFound } from "~/errors";
import type { Asset } from "~/generated/prisma/client";
import type { ObjectStorage } from "~/storage/types";

import { thumbUrl } from "./thumbnail.server";

/** The shop's asset, or NOT_FOUND (another shop's id is "not found", never "forbidden"). */
export async function getAsset(db: Db, shopId: string, assetId: string): Promise<Asset> {
  const asset = await db.asset.findFirst({ where: { id: assetId, shopId } });
  if (!asset) throw notFound("Image");
  return asset;
}

export type AssetUrls = { original: string; display: string; thumb: string; expiresAt: string };

/** Short-lived download URLs for the asset's three renditions. */
export async function assetUrls(storage: ObjectStorage, asset: Asset, expiresIn = 900): Promise<AssetUrls> {
  const ext = asset.originalKey.split(".").pop();
  const [original, display, thumb] = await Promise.all([
    storage.presignGet(asset.originalKey, { expiresIn, filename: `lightbox-${asset.id}.${ext}` }),
    storage.presignGet(asset.displayKey, { expiresIn }),
    thumbUrl(storage, asset, expiresIn),
  ]);
  return { original, display, thumb, expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() };
}
