// Shopify global ids as Lightbox accepts them at its edges.
const PRODUCT_GID = /^gid:\/\/shopify\/Product\/(\d+)$/;
const MEDIA_GID = /^gid:\/\/shopify\/(MediaImage|Video|ExternalVideo|Model3d)\/\d+$/;

/** `gid://shopify/Product/123` from "123" or from the gid itself; null for anything else. */
export function productGid(value: string | null | undefined): string | null {
  if (!value) return null;
  if (/^\d{1,20}$/.test(value)) return `gid://shopify/Product/${value}`;
  return PRODUCT_GID.test(value) ? value : null;
}

/** "123" from `gid://shopify/Product/123` (the product page's URL segment). */
export function productNumericId(gid: string): string {
  return PRODUCT_GID.exec(gid)?.[1] ?? gid;
}

export function isMediaGid(value: unknown): value is string {
  return typeof value === "string" && MEDIA_GID.test(value);
}
