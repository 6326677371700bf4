// Downloads one product photo for the import. The URL comes from Shopify's API, but it is still a
// URL our server fetches, so it is held to what Shopify serves product images from: https on
// Shopify's CDN only (plus the local simulator's CDN in development and tests), no redirects
// followed (a redirect could lead anywhere, including inside our network), and at most the
// upload limit in bytes, counted while reading (a missing or lying Content-Length changes nothing).
import { MAX_UPLOAD_BYTES } from "~/assets/upload-limits";
import { env } from "~/env.server";
import { readBodyLimited } from "~/http/read-body.server";

/** Where Shopify serves product media from. */
export const SHOPIFY_CDN_ORIGIN = "https://cdn.shopify.com";
export const MAX_PRODUCT_IMAGE_BYTES = MAX_UPLOAD_BYTES;

export class ProductImageRefused extends Error {
  override name = "ProductImageRefused";
}

/** The origins product images may come from: Shopify's CDN, and the simulator's in development. */
export function productImageOrigins(): string[] {
  const { simulatorUrl } = env();
  return simulatorUrl ? [SHOPIFY_CDN_ORIGIN, new URL(simulatorUrl).origin] : [SHOPIFY_CDN_ORIGIN];
}

export type FetchProductImageOptions = {
  origins?: string[];
  maxBytes?: number;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
};

export async function fetchProductImage(raw: string, options: FetchProductImageOptions = {}): Promise<{ bytes: Buffer; contentType?: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProductImageRefused("not a URL");
  }
  const origins = options.origins ?? productImageOrigins();
  if (!origins.includes(url.origin) || url.username || url.password) {
    throw new ProductImageRefused(`${url.origin} is not Shopify's CDN`);
  }
  const response = await (options.fetchImpl ?? fetch)(url, { redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs ?? 20_000) });
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new ProductImageRefused(`the CDN answered a redirect (${response.status}); redirects are not followed`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ProductImageRefused(`the CDN answered ${response.status}`);
  }
  const maxBytes = options.maxBytes ?? MAX_PRODUCT_IMAGE_BYTES;
  const bytes = await readBodyLimited(response, maxBytes, () => new ProductImageRefused(`larger than ${maxBytes} bytes`));
  return { bytes, contentType: response.headers.get("content-type") ?? undefined };
}
