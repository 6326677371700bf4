// Everything the product page shows: the gallery Shopify has now (order, alt text, status), the
// Lightbox images made for the product with their publish status, and what can be reverted.
import { thumbUrl } from "~/assets/thumbnail.server";
import type { Db } from "~/db.server";
import { notFound } from "~/errors";
import type { AssetKind, JobStatus, PublicationStatus } from "~/generated/prisma/client";
import type { AdminGraphql } from "~/shopify-admin/graphql.server";
import { interactiveClient } from "~/shopify-admin/paced-client.server";
import type { ObjectStorage } from "~/storage/types";

import { mediaErrorMessage } from "./errors";
import { productGid, productNumericId } from "~/products/ids";
import { PUBLISH_JOB, REVERT_JOB } from "./jobs";
import { readGallery } from "./read-gallery.server";

export type GalleryItem = {
  id: string;
  position: number;
  alt: string;
  status: string;
  previewUrl: string | null;
  error: string | null;
  /** Put there by Lightbox (a publication's media). */
  fromLightbox: boolean;
};

export type LightboxImage = {
  assetId: string;
  kind: AssetKind;
  filename: string | null;
  width: number;
  height: number;
  createdAt: string;
  thumbUrl: string;
  publication: {
    id: string;
    status: PublicationStatus;
    altText: string;
    errorMessage: string | null;
    /** Published and still in the product's gallery. */
    onProduct: boolean;
  } | null;
};

export type ProductPageData = {
  product: { id: string; numericId: string; title: string };
  gallery: GalleryItem[];
  images: LightboxImage[];
  counts: Record<PublicationStatus, number>;
  snapshot: { takenAt: string; mediaCount: number; restoredAt: string | null } | null;
  canRevert: boolean;
  activity: { kind: "publish" | "revert"; status: JobStatus; progress: number; message: string | null } | null;
};

/** Lightbox images a product page (and the API's product) shows, newest first. */
export const PRODUCT_PAGE_IMAGES = 60;

export async function productPage(
  db: Db,
  storage: ObjectStorage,
  graphql: AdminGraphql,
  input: { shopId: string; shopDomain: string; productId: string },
): Promise<ProductPageData> {
  const productId = productGid(input.productId);
  if (!productId) throw notFound("Product");
  const [gallery, publications, snapshot, job] = await Promise.all([
    // A page load waits for the shared bucket like any job, but gives up sooner than a job would.
    readGallery(interactiveClient(input.shopDomain, graphql), productId, { previews: true }),
    db.publication.findMany({ where: { shopId: input.shopId, productId } }),
    db.productSnapshot.findUnique({ where: { shopId_productId: { shopId: input.shopId, productId } } }),
    db.job.findFirst({
      where: { shopId: input.shopId, type: { in: [PUBLISH_JOB, REVERT_JOB] }, payload: { path: ["productId"], equals: productId } },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  if (!gallery) throw notFound("Product");

  const assets = await db.asset.findMany({
    where: {
      shopId: input.shopId,
      OR: [{ productId, kind: { in: ["generated", "upload"] } }, { id: { in: publications.flatMap((p) => (p.assetId ? [p.assetId] : [])) } }],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: PRODUCT_PAGE_IMAGES,
  });
  const onProduct = new Set(gallery.media.map((m) => m.id));
  const published = new Set(publications.map((p) => p.mediaId).filter(Boolean));
  const byAsset = new Map(publications.map((p) => [p.assetId, p]));

  const images: LightboxImage[] = await Promise.all(
    assets.map(async (asset) => {
      const publication = byAsset.get(asset.id);
      return {
        assetId: asset.id,
        kind: asset.kind,
        filename: asset.filename,
        width: asset.width,
        height: asset.height,
        createdAt: asset.createdAt.toISOString(),
        thumbUrl: await thumbUrl(storage, asset, 3600),
        publication: publication
          ? {
              id: publication.id,
              status: publication.status,
              altText: publication.altText,
              errorMessage: publication.errorMessage,
              onProduct: Boolean(publication.mediaId && onProduct.has(publication.mediaId)),
            }
          : null,
      };
    }),
  );

  const counts: Record<PublicationStatus, number> = { queued: 0, processing: 0, ready: 0, failed: 0, reverted: 0 };
  for (const publication of publications) counts[publication.status]++;
  const busy = counts.queued + counts.processing > 0 || (job?.type === REVERT_JOB && (job.status === "queued" || job.status === "running"));

  return {
    product: { id: productId, numericId: productNumericId(productId), title: gallery.title },
    gallery: gallery.media.map((media, position) => ({
      id: media.id,
      position,
      alt: media.alt,
      status: media.status,
      previewUrl: media.previewUrl,
      error: media.status === "FAILED" ? mediaErrorMessage(media.errors) : null,
      fromLightbox: published.has(media.id),
    })),
    images,
    counts,
    snapshot: snapshot
      ? {
          takenAt: snapshot.createdAt.toISOString(),
          mediaCount: Array.isArray(snapshot.media) ? snapshot.media.length : 0,
          restoredAt: snapshot.restoredAt?.toISOString() ?? null,
        }
      : null,
    canRevert: Boolean(snapshot && !snapshot.restoredAt) && !busy,
    activity: job
      ? { kind: job.type === REVERT_JOB ? "revert" : "publish", status: job.status, progress: job.progress, message: job.message }
      : null,
  };
}
