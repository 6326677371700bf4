// What the product details action (extensions/studio-action) shows about one product: how many
// images Lightbox made for it, how many are on the product, how many wait for review.
import type { Db } from "~/db.server";
import { AppError } from "~/errors";
import { productGid } from "~/products/ids";

export type ProductLightboxStatus = {
  productId: string;
  generated: number;
  /** Published and on the product (Publication ready). */
  published: number;
  /** Being published right now. */
  publishing: number;
  failed: number;
  /** Batch results waiting for the merchant's approval. */
  inReview: number;
  /** The Studio for this product, inside the app. */
  studioPath: string;
};

export async function productLightboxStatus(db: Db, shopId: string, productIdInput: string): Promise<ProductLightboxStatus> {
  const productId = productGid(productIdInput);
  if (!productId) {
    throw new AppError("BAD_REQUEST", 'Use a product GID like "gid://shopify/Product/123" or its numeric id.', { fieldErrors: { productId: "Not a product id" } });
  }
  const [generated, publications, inReview] = await Promise.all([
    db.asset.count({ where: { shopId, productId, kind: "generated" } }),
    db.publication.groupBy({ by: ["status"], where: { shopId, productId }, _count: { _all: true } }),
    db.batchItem.count({ where: { shopId, productId, status: "review" } }),
  ]);
  const count = (...statuses: string[]) => publications.filter((row) => statuses.includes(row.status)).reduce((sum, row) => sum + row._count._all, 0);
  return {
    productId,
    generated,
    published: count("ready"),
    publishing: count("queued", "processing"),
    failed: count("failed"),
    inReview,
    studioPath: `/app/studio?productId=${encodeURIComponent(productId)}`,
  };
}
