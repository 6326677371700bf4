// Publishing failures in words a merchant can act on.

/** A publish or revert step failed; `retryable` tells the job runner whether another attempt may help. */
export class PublishError extends Error {
  override name = "PublishError";
  readonly retryable: boolean;
  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable;
  }
}

const MEDIA_ERROR_MESSAGES: Record<string, string> = {
  IMAGE_DOWNLOAD_FAILURE:
    "Shopify could not download the image from Lightbox. Check that the image is still in your Library, then publish it again.",
  INVALID_SIGNED_URL: "The download link Lightbox gave Shopify had expired. Publish the image again.",
  MEDIA_TIMEOUT_ERROR: "Shopify took too long to process the image. Publish it again.",
  UNSUPPORTED_IMAGE_FILE_TYPE: "Shopify does not accept this image's file type. Use a JPEG, PNG or WebP image.",
  INVALID_IMAGE_FILE_SIZE: "The image is larger than Shopify allows (20 MB). Make a smaller version and publish that.",
  INVALID_IMAGE_RESOLUTION: "The image has more pixels than Shopify allows (20 megapixels). Make a smaller version and publish that.",
  INVALID_IMAGE_ASPECT_RATIO: "The image is too narrow or too wide for Shopify (at most 100:1). Crop it and publish it again.",
  FILE_STORAGE_LIMIT_EXCEEDED: "Your store has reached its file storage limit in Shopify. Remove unused files in Shopify, then publish again.",
  IMAGE_PROCESSING_FAILURE: "Shopify could not process the image. Publish it again; if it fails again, try another image.",
};

/** One sentence from Shopify's mediaErrors (codes are documented; messages are Shopify's). */
export function mediaErrorMessage(errors: ReadonlyArray<{ code: string; message?: string | null }>): string {
  const first = errors[0];
  if (!first) return "Shopify could not process the image. Publish it again; if it fails again, try another image.";
  return MEDIA_ERROR_MESSAGES[first.code] ?? `Shopify could not use the image: ${first.message || first.code}.`;
}

/** A short, readable reason from anything thrown (never "[object Object]"). */
export function reasonOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong while talking to Shopify. Try again.";
}

/**
 * Publishing failures the admin shows as a banner (same shape as app/http/errors.server.ts's
 * ErrorBody); null for anything else.
 */
export function describePublishError(error: unknown): { status: number; title: string; detail: string; code: string } | null {
  // Its message says what to do (e.g. the image is gone from storage: upload it again).
  if (error instanceof PublishError) return { status: error.retryable ? 503 : 422, title: "Could not publish", detail: error.message, code: "PUBLISH_FAILED" };
  const name = error instanceof Error ? error.name : "";
  if (name === "ShopifyUnavailableError" || name === "ShopifyBusyError") {
    return { status: 503, title: "Shopify is busy", detail: (error as Error).message, code: "SHOPIFY_UNAVAILABLE" };
  }
  if (name === "ShopifyRequestError" || name === "ShopNotConnectedError") {
    return { status: 502, title: "Shopify refused", detail: (error as Error).message, code: "SHOPIFY_REFUSED" };
  }
  return null;
}
