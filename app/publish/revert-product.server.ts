// "Revert": the product's gallery becomes exactly what it was before Lightbox's first change:
// the snapshot's media, by id, in the snapshot's order, with the snapshot's alt text, in one
// productSet. What Lightbox added is dropped; images Lightbox replaced come back (they stayed in
// the store's Files). Media the merchant added in Shopify since are kept, after the snapshot's.
// The result is read back and compared before anything is marked reverted.
// See docs/decisions/0052-revert-with-productset.md.
import type { Db } from "~/db.server";
import type { PacedClient } from "~/shopify-admin/paced-client.server";

import { PublishError } from "./errors";
import { withProductLock } from "./product-lock.server";
import { readGallery } from "./read-gallery.server";
import { setGallery, type GalleryEntry } from "./set-gallery.server";
import { snapshotMedia } from "./snapshot-gallery.server";
import { MEDIA_STATUS_QUERY } from "./wait-for-media.server";

export type RevertSummary = {
  restored: boolean;
  /** Snapshot media deleted in Shopify since (they cannot come back). */
  missing: number;
  /** Media the merchant added in Shopify since the snapshot (kept). */
  kept: number;
  removed: number;
};

export async function revertProduct(input: {
  db: Db;
  client: PacedClient;
  shopId: string;
  productId: string;
  /** The revert job and attempt (a later attempt takes over the lease from a crashed one). */
  job?: { id: string; attempt: number };
}): Promise<RevertSummary> {
  const { db, client, shopId, productId } = input;
  return withProductLock(
    db,
    shopId,
    productId,
    async () => {
      const snapshot = await db.productSnapshot.findUnique({ where: { shopId_productId: { shopId, productId } } });
      if (!snapshot || snapshot.restoredAt) return { restored: false, missing: 0, kept: 0, removed: 0 };
      const original = snapshotMedia(snapshot);

      const gallery = await readGallery(client, productId);
      if (!gallery) throw new PublishError("The product no longer exists in Shopify, so there is nothing to revert.", { retryable: false });
      const added = new Set(
        (await db.publication.findMany({ where: { shopId, productId, mediaId: { not: null } }, select: { mediaId: true } })).map((p) => p.mediaId as string)
      );

      // Snapshot media deleted in Shopify since cannot be listed again (productSet would refuse them).
      const exists =
        original.length > 0
          ? (await client.request<{ nodes: Array<{ id: string } | null> }>(MEDIA_STATUS_QUERY, { ids: original.map((m) => m.id) })).nodes
          : [];
      const restorable = original.filter((_, index) => exists[index]);
      const originalIds = new Set(original.map((m) => m.id));
      const merchants = gallery.media.filter((m) => !originalIds.has(m.id) && !added.has(m.id));
      const entries: GalleryEntry[] = [...restorable.map((m) => ({ id: m.id, alt: m.alt })), ...merchants.map((m) => ({ id: m.id, alt: m.alt }))];

      await setGallery(client, productId, entries);
      const after = await readGallery(client, productId);
      const matches =
        after !== null &&
        after.media.length === entries.length &&
        after.media.every((m, i) => m.id === entries[i]?.id && m.alt.trim() === entries[i]?.alt.trim());
      if (!matches) throw new PublishError("Shopify has not finished restoring the gallery. Lightbox will check again.", { retryable: true });

      await db.$transaction([
        db.publication.updateMany({
          where: { shopId, productId, OR: [{ status: "ready" }, { status: "failed", mediaId: { not: null } }] },
          data: { status: "reverted", errorMessage: null },
        }),
        db.productSnapshot.update({ where: { id: snapshot.id }, data: { restoredAt: new Date() } }),
      ]);
      const removed = gallery.media.filter((m) => !entries.some((entry) => entry.id === m.id)).length;
      return { restored: true, missing: original.length - restorable.length, kept: merchants.length, removed };
    },
    { job: input.job }
  );
}
