// The public API's product endpoints: Shopify failures as problems, the publish body as the
// publish verb's items, and the JSON shapes (typed by contract/responses.ts). Thin over the same
// verbs the product pages use (app/publish/*).
import type { z } from "zod";

import type { ProductRow } from "~/products/list-products.server";
import { productNumericId } from "~/products/ids";
import type { ProductPageData } from "~/publish/product-page.server";
import { MAX_GALLERY_POSITION, parsePublishItems, type PublishItem } from "~/publish/publish-input";
import { readGallery } from "~/publish/read-gallery.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { pacedClient } from "~/shopify-admin/paced-client.server";

import type { PublishBody } from "./contract/requests";
import type { ProductSchema, ProductSummarySchema } from "./contract/responses";
import { ApiProblem } from "./problem.server";

/**
 * 404 unless the product is in this shop's Shopify store (asked through the shop's own Admin
 * client, so another shop's product id is "not found" like any unknown id).
 */
export async function assertProductInShop(shopDomain: string, productId: string): Promise<void> {
  const gallery = await readGallery(pacedClient(shopDomain, adminGraphqlFor(shopDomain)), productId);
  if (!gallery) {
    throw new ApiProblem(404, "NOT_FOUND", "Not found", "No such product in this shop. List your products with GET /api/v1/products.");
  }
}

/** The body as the publish verb's items (the images keep their order from `position`, or 0 when featured). */
export function publishItems(body: PublishBody): PublishItem[] {
  const start = body.featured ? 0 : body.position;
  return parsePublishItems(
    body.asset_ids.map((assetId, index) => ({
      assetId,
      altText: body.alt_texts?.[assetId],
      placement:
        body.replace_media_id !== undefined
          ? { kind: "replace", mediaId: body.replace_media_id }
          : start !== undefined
            ? { kind: "position", position: Math.min(start + index, MAX_GALLERY_POSITION) }
            : { kind: "append" },
    })),
  );
}

export function productSummaryResource(row: ProductRow): z.output<typeof ProductSummarySchema> {
  return {
    id: row.id,
    object: "product",
    numeric_id: productNumericId(row.id),
    title: row.title,
    handle: row.handle,
    status: row.status,
    image_url: row.imageUrl,
    media_count: row.mediaCount,
    generated_count: row.generatedCount,
  };
}

export function productDetailResource(page: ProductPageData): z.output<typeof ProductSchema> {
  return {
    id: page.product.id,
    object: "product",
    numeric_id: page.product.numericId,
    title: page.product.title,
    gallery: page.gallery.map((item) => ({
      media_id: item.id,
      position: item.position,
      alt: item.alt,
      status: item.status,
      preview_url: item.previewUrl,
      error: item.error,
      from_lightbox: item.fromLightbox,
    })),
    images: page.images.map((image) => ({
      asset_id: image.assetId,
      kind: image.kind,
      filename: image.filename,
      width: image.width,
      height: image.height,
      created_at: image.createdAt,
      thumb_url: image.thumbUrl,
      publication: image.publication
        ? {
            id: image.publication.id,
            status: image.publication.status,
            alt_text: image.publication.altText,
            error: image.publication.errorMessage,
            on_product: image.publication.onProduct,
          }
        : null,
    })),
    publication_counts: page.counts,
    snapshot: page.snapshot ? { taken_at: page.snapshot.takenAt, media_count: page.snapshot.mediaCount, restored_at: page.snapshot.restoredAt } : null,
    can_revert: page.canRevert,
    activity: page.activity,
  };
}
