// A product's current photos become Lightbox assets (kind product_photo), so they can be used as
// generation sources. Each Shopify media is downloaded once (keyed by its media id).
import type { Db } from "~/db.server";
import type { Asset } from "~/generated/prisma/client";
import { ingestAsset } from "~/assets/ingest-asset.server";
import type { PacedClient } from "~/shopify-admin/paced-client.server";
import type { ObjectStorage } from "~/storage/types";

import { fetchProductImage, type FetchProductImageOptions } from "./fetch-product-image.server";

export const PRODUCT_PHOTOS_QUERY = `#graphql
  query LightboxProductPhotos($id: ID!) {
    product(id: $id) {
      id
      title
      media(first: 20) {
        nodes {
          id
          alt
          mediaContentType
          status
          ... on MediaImage {
            image {
              url
              width
              height
            }
          }
        }
      }
    }
  }
`;

type PhotosData = {
  product: {
    id: string;
    title: string;
    media: {
      nodes: Array<{ id: string; alt: string | null; mediaContentType: string; status: string; image?: { url: string } | null }>;
    };
  } | null;
};

export type ProductPhotos = { productId: string; title: string; photos: Asset[]; skipped: string[] };

/** Imports the product's ready images; returns them in gallery order, and what could not be read. */
export async function importProductPhotos(
  client: PacedClient,
  db: Db,
  storage: ObjectStorage,
  input: { shopId: string; productId: string; image?: FetchProductImageOptions; /** Only the first (featured) N photos. */ limit?: number },
): Promise<ProductPhotos | null> {
  const data = await client.request<PhotosData>(PRODUCT_PHOTOS_QUERY, { id: input.productId });
  if (!data.product) return null;
  const photos: Asset[] = [];
  const skipped: string[] = [];
  const images = data.product.media.nodes
    .filter((m) => m.mediaContentType === "IMAGE" && m.status === "READY" && m.image?.url)
    .slice(0, input.limit ?? Number.POSITIVE_INFINITY);
  // One query for the photos imported before (every Studio load for the product asks).
  const imported = await db.asset.findMany({
    where: { shopId: input.shopId, sourceMediaId: { in: images.map((m) => m.id) } },
  });
  const bySource = new Map(imported.map((asset) => [asset.sourceMediaId, asset]));
  for (const media of images) {
    if (!media.image?.url) continue;
    const known = bySource.get(media.id);
    if (known) {
      photos.push(known);
      continue;
    }
    try {
      // The URL comes from Shopify's API; only Shopify's CDN, no redirects, at most the upload limit.
      const image = await fetchProductImage(media.image.url, input.image);
      const { asset } = await ingestAsset({
        db,
        storage,
        shopId: input.shopId,
        kind: "product_photo",
        bytes: image.bytes,
        declaredType: image.contentType,
        filename: media.alt ?? undefined,
        productId: data.product.id,
        sourceMediaId: media.id,
      });
      photos.push(asset);
    } catch {
      skipped.push(media.id);
    }
  }
  return { productId: data.product.id, title: data.product.title, photos, skipped };
}
