// The product's gallery as it was before Lightbox first changed it: "Revert" restores exactly this.
// Written once per product (the unique (shopId, productId) row makes the first writer win, so a
// snapshot always predates every Lightbox change), and written again only after a revert restored
// it, before the next change.
import type { Db } from "~/db.server";
import type { Prisma, ProductSnapshot } from "~/generated/prisma/client";

import type { Gallery } from "./read-gallery.server";

export type SnapshotMedia = { id: string; alt: string; position: number; mediaContentType: string };

export function snapshotMedia(snapshot: Pick<ProductSnapshot, "media">): SnapshotMedia[] {
  return Array.isArray(snapshot.media) ? (snapshot.media as unknown as SnapshotMedia[]) : [];
}

const isUniqueViolation = (error: unknown) => typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";

/** Makes sure the product has a current snapshot (taken from `gallery`, read just before the first change). */
export async function ensureSnapshot(db: Db, input: { shopId: string; productId: string; gallery: Gallery }): Promise<ProductSnapshot> {
  const where = { shopId_productId: { shopId: input.shopId, productId: input.productId } };
  const media = input.gallery.media.map((item, position) => ({
    id: item.id,
    alt: item.alt,
    position,
    mediaContentType: item.mediaContentType,
  })) satisfies SnapshotMedia[] as unknown as Prisma.InputJsonValue;

  const existing = await db.productSnapshot.findUnique({ where });
  if (!existing) {
    try {
      return await db.productSnapshot.create({ data: { shopId: input.shopId, productId: input.productId, media } });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return db.productSnapshot.findUniqueOrThrow({ where });
    }
  }
  if (existing.restoredAt) {
    // Reverted earlier: the gallery now is the merchant's again, and the next change starts anew.
    await db.productSnapshot.updateMany({
      where: { id: existing.id, restoredAt: { not: null } },
      data: { media, restoredAt: null, createdAt: new Date() },
    });
    return db.productSnapshot.findUniqueOrThrow({ where });
  }
  return existing;
}
