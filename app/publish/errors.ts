// Publishing failures in words a merchant can act on.
import { AppError } from "~/errors";

/**
 * A publish or revert step failed; `retryable` tells the job runner whether another attempt may
 * help. At the edge: 503 when it may (Shopify still busy), 422 when the merchant must act.
 */
export class PublishError extends AppError {
  override name = "PublishError";
  declare readonly retryable: boolean;
  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super("PUBLISH_FAILED", message, {
      status: options.retryable ? 503 : 422,
      title: "Could not publish",
      retryable: options.retryable,
      headers: options.retryable ? { "Retry-After": "5" } : undefined,
      cause: options.cause,
    });
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
