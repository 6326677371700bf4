import type { Asset } from "~/generated/prisma/client";

export type AssetSummary = Pick<Asset, "id" | "kind" | "filename" | "width" | "height" | "bytes" | "productId"> & { createdAt: string };

/** The facts about an asset the admin pages show (plain JSON: the date as ISO text). */
export function assetSummary(asset: Asset): AssetSummary {
  const { id, kind, filename, width, height, bytes, productId } = asset;
  return { id, kind, filename, width, height, bytes, productId, createdAt: asset.createdAt.toISOString() };
}
