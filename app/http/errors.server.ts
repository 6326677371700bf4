// Maps domain errors to what the edge answers: a status, a short title and a message that says
// what to fix. Used by admin routes (JSON for Polaris banners) and the public API (problem+json).
import { InsufficientCreditsError } from "~/credits/errors";
import { AppError } from "~/errors";
import { isGenerationError } from "~/generation/errors";
import { ImageRejectedError } from "~/images/index.server";
import { describePublishError } from "~/publish/errors";
import { StorageError } from "~/storage/types";

export type ErrorBody = {
  status: number;
  title: string;
  detail: string;
  code: string;
  fieldErrors?: Record<string, string>;
};

const TITLES: Record<number, string> = {
  400: "Bad request",
  402: "Not enough credits",
  404: "Not found",
  409: "Conflict",
  413: "Upload too large",
  415: "Unsupported image",
  422: "Invalid input",
  429: "Too many requests",
  502: "Upstream error",
};

/** Known, user-actionable errors become an ErrorBody; anything else is null (a real 500). */
export function describeError(error: unknown): ErrorBody | null {
  if (error instanceof AppError) {
    return { status: error.status, title: TITLES[error.status] ?? "Error", detail: error.message, code: error.code, fieldErrors: error.fieldErrors };
  }
  if (error instanceof ImageRejectedError) {
    return { status: error.httpStatus, title: TITLES[error.httpStatus] ?? "Invalid image", detail: error.message, code: error.code };
  }
  if (error instanceof InsufficientCreditsError) {
    return { status: 402, title: TITLES[402]!, detail: error.message, code: "INSUFFICIENT_CREDITS" };
  }
  if (isGenerationError(error)) {
    return { status: 502, title: "Generation failed", detail: error.message, code: error.code };
  }
  // PostgreSQL cannot store U+0000; it reaches us from any id or text the client sent.
  if (error instanceof Error && error.message.includes('invalid byte sequence for encoding "UTF8": 0x00')) {
    return { status: 400, title: TITLES[400]!, detail: "Ids and text cannot contain the NUL character (\\u0000). Remove it and send the request again.", code: "INVALID_TEXT" };
  }
  // Publishing problems, Shopify busy, down or refusing: a banner that says so, not an error page.
  const shopify = describePublishError(error);
  if (shopify) return shopify;
  if (error instanceof StorageError) {
    console.error("[storage]", error);
    return { status: 503, title: "Storage unavailable", detail: "Lightbox's image storage did not answer. Try again in a moment.", code: "STORAGE_UNAVAILABLE" };
  }
  return null;
}

/** For admin actions: `{ error }` JSON with the status, so the page shows a banner. */
export function adminErrorResponse(error: unknown): Response {
  const body = describeError(error);
  if (!body) throw error;
  return Response.json({ error: body }, { status: body.status });
}
