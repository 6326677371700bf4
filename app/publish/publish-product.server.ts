// The work of one publish job: put the job's images onto one product, in four steps.
//   1. snapshot the gallery before the first change (revert restores it);
//   2. add each image that is not on the product yet (productUpdate with a presigned URL of the
//      original), remembering the new media id the moment Shopify answers;
//   3. wait until Shopify has processed them (READY / FAILED) and record the outcome;
//   4. place them: replace an existing image (productSet), or move to a position (reorder job).
// Safe to run again at any point: an image whose media is already on the product is never added
// a second time (docs/decisions/0051-idempotent-publish-jobs.md).
import type { Db } from "~/db.server";
import type { Asset, Publication } from "~/generated/prisma/client";
import type { PacedClient } from "~/shopify-admin/paced-client.server";
import type { ObjectStorage } from "~/storage/types";

import { addMedia } from "./add-media.server";
import { mediaErrorMessage, PublishError, reasonOf } from "./errors";
import { withProductLock } from "./product-lock.server";
import { readGallery, type Gallery } from "./read-gallery.server";
import { reorderMedia } from "./reorder-media.server";
import { setGallery, type GalleryEntry } from "./set-gallery.server";
import { ensureSnapshot, snapshotMedia } from "./snapshot-gallery.server";
import { suggestAltText } from "./suggest-alt-text.server";
import { waitForMedia, type WaitOptions } from "./wait-for-media.server";

/** How long Shopify may take to fetch an original (it starts within seconds). */
const SOURCE_URL_SECONDS = 30 * 60;

export type PublishProductInput = {
  db: Db;
  storage: ObjectStorage;
  client: PacedClient;
  shopId: string;
  productId: string;
  /** The job whose publications to work on. */
  jobId: string;
  /** Its attempt: a later attempt takes over the product's lease from a crashed earlier one. */
  attempt?: number;
  progress?: (percent: number, message?: string) => Promise<void>;
  signal?: AbortSignal;
  mediaWait?: WaitOptions;
};

export type PublishSummary = { ready: number; failed: number };

type Pending = Publication & { asset: Asset; assetId: string };

export async function publishProduct(input: PublishProductInput): Promise<PublishSummary> {
  const { db, client, shopId, productId } = input;
  const job = { id: input.jobId, attempt: input.attempt ?? 1 };
  return withProductLock(
    db,
    shopId,
    productId,
    async () => {
      // Read inside the lock: a second run of the same job sees what the first one finished.
      const rows = await db.publication.findMany({
        where: { shopId, productId, jobId: input.jobId, status: { in: ["queued", "processing"] } },
        include: { asset: true },
        orderBy: { createdAt: "asc" },
      });
      // An image deleted from the library after it was queued (and not yet sent) cannot go out.
      const gone = rows.filter((p) => !p.asset);
      if (gone.length > 0) {
        await db.publication.updateMany({
          where: { id: { in: gone.map((p) => p.id) } },
          data: { status: "failed", errorMessage: "The image was deleted from your library before it could be published." },
        });
      }
      const pending = rows.filter((p): p is Pending => p.asset !== null && p.assetId !== null);
      if (pending.length === 0) return { ready: 0, failed: gone.length };
      const report = (step: number, message: string) => input.progress?.((step / (pending.length * 2 + 1)) * 100, message) ?? Promise.resolve();

      const gallery = await readGallery(client, productId);
      if (!gallery) {
        await db.publication.updateMany({
          where: { id: { in: pending.map((p) => p.id) } },
          data: { status: "failed", errorMessage: "The product no longer exists in Shopify." },
        });
        return { ready: 0, failed: pending.length };
      }
      const snapshot = await ensureSnapshot(db, { shopId, productId, gallery });
      const original = new Set(snapshotMedia(snapshot).map((m) => m.id));
      const onProduct = new Set(gallery.media.map((m) => m.id));
      const claimed = new Set(
        (await db.publication.findMany({ where: { shopId, productId, mediaId: { not: null } }, select: { mediaId: true } })).map((p) => p.mediaId as string)
      );

      // 2. Add.
      for (const [index, publication] of pending.entries()) {
        await report(index, `Sending image ${index + 1} of ${pending.length} to Shopify`);
        if (!publication.altText) {
          publication.altText = await suggestAltText(db, input.storage, {
            shopId,
            assetId: publication.assetId,
            productTitle: gallery.title,
            signal: input.signal,
            overLimit: "offline",
          });
          await db.publication.update({ where: { id: publication.id }, data: { altText: publication.altText } });
        }
        if (publication.mediaId && onProduct.has(publication.mediaId)) continue;
        if (!publication.mediaId && publication.status === "processing") {
          // An earlier attempt sent the image but never learnt its media id (crash, lost answer).
          const orphan = findOrphan(gallery, publication.altText, original, claimed);
          if (orphan) {
            await remember(db, publication, orphan, claimed);
            continue;
          }
        }
        await db.publication.update({ where: { id: publication.id }, data: { status: "processing", mediaId: null, errorMessage: null } });
        publication.status = "processing";
        const source = await input.storage.presignGet(publication.asset.originalKey, { expiresIn: SOURCE_URL_SECONDS });
        let mediaId = await addMedia(client, { productId, source, alt: publication.altText, knownMediaIds: onProduct });
        if (!mediaId) {
          const fresh = await readGallery(client, productId);
          mediaId = fresh ? findOrphan(fresh, publication.altText, original, claimed) : null;
        }
        if (!mediaId) {
          throw new PublishError("Shopify took the image but Lightbox could not find it on the product yet. Lightbox will look again.", { retryable: true });
        }
        await remember(db, publication, mediaId, claimed);
        onProduct.add(mediaId);
      }

      // 3. Wait for Shopify's processing.
      await report(pending.length, "Waiting for Shopify to process the images");
      const outcomes = await waitForMedia(
        client,
        pending.map((p) => p.mediaId as string),
        { signal: input.signal, ...input.mediaWait }
      );
      const ready = pending.filter((p) => outcomes.get(p.mediaId as string)?.status === "READY");
      const failed = pending.filter((p) => !ready.includes(p));
      if (failed.length > 0) await recordFailures(db, client, productId, failed, outcomes);

      // 4. Place, then done.
      let placementProblem: string | null = null;
      if (ready.length > 0) {
        await report(pending.length * 2, "Putting the images in place");
        try {
          await placeImages(client, productId, ready);
        } catch (error) {
          if (!(error instanceof PublishError) || error.retryable) throw error;
          placementProblem = `Published, but not moved where you asked: ${reasonOf(error)}`;
        }
        await db.publication.updateMany({
          where: { id: { in: ready.map((p) => p.id) } },
          data: { status: "ready", errorMessage: placementProblem },
        });
      }
      return { ready: ready.length, failed: failed.length };
    },
    { job }
  );
}

async function remember(db: Db, publication: Pending, mediaId: string, claimed: Set<string>) {
  await db.publication.update({ where: { id: publication.id }, data: { mediaId, status: "processing" } });
  publication.mediaId = mediaId;
  claimed.add(mediaId);
}

/** A media on the product that nobody accounts for and carries our alt text: ours, from an earlier attempt. */
function findOrphan(gallery: Gallery, alt: string, original: Set<string>, claimed: Set<string>): string | null {
  const candidates = gallery.media.filter((m) => !original.has(m.id) && !claimed.has(m.id) && m.alt === alt);
  return candidates.at(-1)?.id ?? null;
}

/** FAILED media leave the gallery again (nothing half-published), with the reason on the publication. */
async function recordFailures(db: Db, client: PacedClient, productId: string, failed: Pending[], outcomes: Awaited<ReturnType<typeof waitForMedia>>) {
  const failedIds = new Set(failed.map((p) => p.mediaId as string));
  const gallery = await readGallery(client, productId);
  if (gallery && gallery.media.some((m) => failedIds.has(m.id))) {
    await setGallery(
      client,
      productId,
      gallery.media.filter((m) => !failedIds.has(m.id)).map((m) => ({ id: m.id, alt: m.alt }))
    );
  }
  for (const publication of failed) {
    const outcome = outcomes.get(publication.mediaId as string);
    const message =
      outcome?.status === "FAILED"
        ? mediaErrorMessage(outcome.errors)
        : "The image was removed from the product in Shopify before it finished processing. Publish it again.";
    await db.publication.update({ where: { id: publication.id }, data: { status: "failed", errorMessage: message, mediaId: null } });
  }
}

/** Replacements first (one productSet), then positions (one reorder job). */
async function placeImages(client: PacedClient, productId: string, ready: Pending[]) {
  const replacing = ready.filter((p) => p.replaceMediaId);
  if (replacing.length > 0) {
    const gallery = await readGallery(client, productId);
    if (!gallery) throw new PublishError("The product no longer exists in Shopify.", { retryable: false });
    const byTarget = new Map(replacing.map((p) => [p.replaceMediaId as string, p]));
    const incoming = new Set(replacing.filter((p) => gallery.media.some((m) => m.id === p.replaceMediaId)).map((p) => p.mediaId as string));
    const entries: GalleryEntry[] = [];
    for (const media of gallery.media) {
      const replacement = byTarget.get(media.id);
      if (replacement) entries.push({ id: replacement.mediaId as string, alt: replacement.altText });
      else if (!incoming.has(media.id)) entries.push({ id: media.id, alt: media.alt });
    }
    const unchanged = entries.length === gallery.media.length && entries.every((entry, i) => entry.id === gallery.media[i]?.id);
    if (!unchanged) await setGallery(client, productId, entries);
  }
  const moves = ready
    .filter((p) => !p.replaceMediaId && p.position !== null)
    .sort((a, b) => (a.position as number) - (b.position as number))
    .map((p) => ({ mediaId: p.mediaId as string, position: p.position as number }));
  await reorderMedia(client, productId, moves);
}
