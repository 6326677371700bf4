// Shopify global ids as Lightbox accepts them at its edges: the one product-id parser (the API's
// path and query parameters, admin links, the domain verbs all use it).
const PRODUCT_GID = /^gid:\/\/shopify\/Product\/(\d+)$/;
/** What a client may send for a product: its GID or its numeric id. */
export const PRODUCT_ID_INPUT = /^(gid:\/\/shopify\/Product\/)?\d{1,20}$/;
/** A product medium's GID (what the API's replace_media_id takes). */
export const MEDIA_GID = /^gid:\/\/shopify\/(MediaImage|Video|ExternalVideo|Model3d)\/\d+$/;

/** `gid://shopify/Product/123` from "123" or from the gid itself; null for anything else. */
export function productGid(value: string | null | undefined): string | null {
  if (!value || !PRODUCT_ID_INPUT.test(value)) return null;
  return value.startsWith("gid://") ? value : `gid://shopify/Product/${value}`;
}

/** "123" from `gid://shopify/Product/123` (the product page's URL segment). */
export function productNumericId(gid: string): string {
  return PRODUCT_GID.exec(gid)?.[1] ?? gid;
}

export function isMediaGid(value: unknown): value is string {
  return typeof value === "string" && MEDIA_GID.test(value);
}
