import type { Asset } from "~/generated/prisma/client";

/**
 * The display rendition of an asset: a WebP of at most 2048 px, or, for a generated image that
 * already fits, the original itself (see docs/decisions/0035-generation-hot-path.md).
 */
export function displayRendition(asset: Pick<Asset, "displayKey" | "originalKey" | "mimeType">): { key: string; mimeType: string } {
  return { key: asset.displayKey, mimeType: asset.displayKey === asset.originalKey ? asset.mimeType : "image/webp" };
}

/**
 * True while a generated image has no thumbnail of its own yet (its `thumbKey` is its original):
 * it is made on its first request (app/assets/thumbnail.server.ts, ADR 0098).
 */
export function thumbnailPending(asset: Pick<Asset, "thumbKey" | "originalKey">): boolean {
  return asset.thumbKey === asset.originalKey;
}

/** Every stored object of an asset, once each. */
export function assetObjectKeys(asset: Pick<Asset, "displayKey" | "originalKey" | "thumbKey">): string[] {
  return [...new Set([asset.originalKey, asset.displayKey, asset.thumbKey])];
}
