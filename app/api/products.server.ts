// The public API's product endpoints: path ids, the publish body, Shopify failures as problems,
// and the JSON shapes. Thin over the same verbs the product pages use (app/publish/*).
import { z } from "zod";

import { describePublishError } from "~/publish/errors";
import { isMediaGid, productGid, productNumericId } from "~/publish/ids";
import type { ProductPageData } from "~/publish/product-page.server";
import { readGallery } from "~/publish/read-gallery.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { pacedClient } from "~/shopify-admin/paced-client.server";
import { MAX_ALT_TEXT_LENGTH, MAX_PUBLISH_ITEMS, parsePublishItems, type PublishItem } from "~/publish/publish-input";
import type { ProductRow } from "~/products/list-products.server";

import { ApiProblem } from "./problem.server";

/** `:id` of /products/{id}: the numeric id or the (URL-encoded) `gid://shopify/Product/N`; 404 for anything else. */
export function productIdFromPath(raw: string | undefined): string {
  let value = raw ?? "";
  try {
    value = decodeURIComponent(value);
  } catch {
    // keep it as it came
  }
  const gid = productGid(value.trim());
  if (!gid) throw new ApiProblem(404, "NOT_FOUND", "Not found", 'No such product. Use its numeric id ("8012345678") or its GID ("gid://shopify/Product/8012345678").');
  return gid;
}

/** Shopify being busy, unreachable or refusing, as a problem (instead of a bare 500). */
export async function withShopify<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const known = describePublishError(error);
    if (!known) throw error;
    throw new ApiProblem(known.status, known.code, known.title, known.detail, known.status === 503 ? { headers: { "Retry-After": "5" } } : {});
  }
}

/**
 * 404 unless the product is in this shop's Shopify store (asked through the shop's own Admin
 * client, so another shop's product id is "not found" like any unknown id).
 */
export async function assertProductInShop(shopDomain: string, productId: string): Promise<void> {
  const gallery = await withShopify(() => readGallery(pacedClient(shopDomain, adminGraphqlFor(shopDomain)), productId));
  if (!gallery) {
    throw new ApiProblem(404, "NOT_FOUND", "Not found", "No such product in this shop. List your products with GET /api/v1/products.");
  }
}

export const publishBody = z
  .object({
    asset_ids: z
      .array(z.string().min(1).max(64), { message: "A list of asset ids" })
      .min(1, "Choose at least one image to publish.")
      .max(MAX_PUBLISH_ITEMS, `Publish at most ${MAX_PUBLISH_ITEMS} images at once.`),
    alt_texts: z.record(z.string(), z.string().max(MAX_ALT_TEXT_LENGTH, `Alt text can be at most ${MAX_ALT_TEXT_LENGTH} characters.`)).optional(),
    position: z.number().int("A whole number").min(0).max(249).optional(),
    featured: z.boolean().optional(),
    replace_media_id: z.string().refine(isMediaGid, 'A media GID of the product, e.g. "gid://shopify/MediaImage/123"').optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (new Set(body.asset_ids).size !== body.asset_ids.length) issue("asset_ids", "The same image was chosen twice.");
    for (const key of Object.keys(body.alt_texts ?? {})) {
      if (!body.asset_ids.includes(key)) issue("alt_texts", `${key} is not one of asset_ids.`);
    }
    if (body.replace_media_id !== undefined) {
      if (body.asset_ids.length !== 1) issue("replace_media_id", "Replace one product image with exactly one asset.");
      if (body.position !== undefined || body.featured) issue("replace_media_id", "Give replace_media_id, or position/featured, not both.");
    }
    if (body.featured && body.position !== undefined && body.position !== 0) issue("featured", "featured puts the image first (position 0); leave out position.");
  });

export type PublishBody = z.infer<typeof publishBody>;

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
            ? { kind: "position", position: Math.min(start + index, 249) }
            : { kind: "append" },
    })),
  );
}

export function productSummaryResource(row: ProductRow) {
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

export function productDetailResource(page: ProductPageData) {
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
