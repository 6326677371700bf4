// One error type, two edges: every domain error reaches the API as the same problem+json and the
// admin as the same banner (code, status, title, what to fix), without matching on names.
import { describe, expect, it, vi } from "vitest";

import { ApiProblem, problemFromError } from "~/api/problem.server";
import { InsufficientCreditsError } from "~/credits/errors";
import { AppError } from "~/errors";
import { GenerationError } from "~/generation/errors";
import { adminErrorResponse, describeError } from "~/http/errors.server";
import { ImageRejectedError } from "~/images/errors";
import { PublishError } from "~/publish/errors";
import { ProductBusyError } from "~/publish/product-lock.server";
import { ShopNotConnectedError } from "~/shopify-admin/admin-for-shop.server";
import { AdminApiError } from "~/shopify-admin/graphql.server";
import { ShopifyBusyError, ShopifyRequestError, ShopifyUnavailableError } from "~/shopify-admin/paced-client.server";
import { StorageError } from "~/storage/types";
import { TokenAuthError } from "~/tokens/verify-token.server";

type Expected = { status: number; code: string; title: string; retryAfter?: string };

const cases: Array<[string, unknown, Expected]> = [
  ["not enough credits", new InsufficientCreditsError(4, 1), { status: 402, code: "INSUFFICIENT_CREDITS", title: "Not enough credits" }],
  ["an image that is too large", new ImageRejectedError("TOO_LARGE", "The image is over 20 MB."), { status: 413, code: "TOO_LARGE", title: "Upload too large" }],
  ["an unsupported image", new ImageRejectedError("UNSUPPORTED_FORMAT", "GIF is not supported."), { status: 415, code: "UNSUPPORTED_FORMAT", title: "Unsupported image" }],
  ["Gemini declining", new GenerationError("SAFETY_BLOCKED"), { status: 502, code: "SAFETY_BLOCKED", title: "Generation failed" }],
  ["a publish step that may pass later", new PublishError("Shopify is still processing the image.", { retryable: true }), { status: 503, code: "PUBLISH_FAILED", title: "Could not publish", retryAfter: "5" }],
  ["a publish step the merchant must fix", new PublishError("The image is missing from storage.", { retryable: false }), { status: 422, code: "PUBLISH_FAILED", title: "Could not publish" }],
  ["Shopify busy", new ShopifyBusyError("Shopify is busy with this shop right now.", null), { status: 503, code: "SHOPIFY_UNAVAILABLE", title: "Shopify is busy", retryAfter: "5" }],
  ["Shopify down", new ShopifyUnavailableError("Shopify did not answer properly.", null), { status: 503, code: "SHOPIFY_UNAVAILABLE", title: "Shopify is busy", retryAfter: "5" }],
  ["Shopify refusing", new ShopifyRequestError("Shopify refused the request.", null), { status: 502, code: "SHOPIFY_REFUSED", title: "Shopify refused" }],
  ["GraphQL errors in an answer", new AdminApiError("Shopify refused the request: bad field", []), { status: 502, code: "SHOPIFY_REFUSED", title: "Shopify refused" }],
  ["a shop that is not connected", new ShopNotConnectedError("a.myshopify.com"), { status: 502, code: "SHOPIFY_REFUSED", title: "Shopify refused" }],
  ["a product another process is changing", new ProductBusyError(), { status: 503, code: "PRODUCT_BUSY", title: "Product busy", retryAfter: "5" }],
  ["a revoked token", new TokenAuthError("revoked"), { status: 401, code: "TOKEN_REVOKED", title: "Unauthorized" }],
  ["a domain conflict", new AppError("CONFLICT", "Nothing to revert."), { status: 409, code: "CONFLICT", title: "Conflict" }],
  ["an API-only problem", new ApiProblem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "Send a JSON body."), { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", title: "Unsupported media type" }],
  ["a NUL character PostgreSQL refused", new Error('invalid byte sequence for encoding "UTF8": 0x00'), { status: 400, code: "INVALID_TEXT", title: "Bad request" }],
];

describe("one AppError, two edges", () => {
  it.each(cases)("GIVEN %s WHEN it reaches the API and the admin THEN both say the same", async (_what, error, expected) => {
    const problem = problemFromError(error, "req_1");
    expect(problem.status).toBe(expected.status);
    expect(problem.headers.get("content-type")).toBe("application/problem+json");
    expect(problem.headers.get("retry-after") ?? undefined).toBe(expected.retryAfter);
    const body = (await problem.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: expected.status, code: expected.code, title: expected.title, request_id: "req_1" });

    const banner = describeError(error);
    expect(banner).toMatchObject({ status: expected.status, code: expected.code, title: expected.title });
    expect(banner!.detail).toBe(body.detail);
    expect(banner!.detail.length).toBeGreaterThan(10);
  });

  it("GIVEN a storage driver failure WHEN shown THEN the user gets a plain sentence and the log gets the driver's text", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const error = new StorageError("R2 refused to delete 3 of 10 objects under shops/abc/ (first: k AccessDenied)");
    const body = (await problemFromError(error).json()) as { status: number; code: string; detail: string };
    expect(body).toMatchObject({ status: 503, code: "STORAGE_UNAVAILABLE" });
    expect(body.detail).not.toContain("R2");
    expect(describeError(error)!.detail).toBe(body.detail);
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });

  it("GIVEN field errors WHEN shown THEN the API names them in snake_case and the banner keeps them", async () => {
    const error = new AppError("UNPROCESSABLE", "Check the request.", { fieldErrors: { sourceAssetIds: "Choose at least one image" } });
    const body = (await problemFromError(error).json()) as { errors: Array<{ field: string; detail: string }> };
    expect(body.errors).toEqual([{ field: "source_asset_ids", detail: "Choose at least one image" }]);
    expect(describeError(error)!.fieldErrors).toEqual({ sourceAssetIds: "Choose at least one image" });
  });

  it("GIVEN a bug WHEN it reaches the edges THEN the API answers a bare 500 and the admin rethrows it to its error page", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const response = problemFromError(bug, "req_2");
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain("Cannot read");
    expect(describeError(bug)).toBeNull();
    expect(() => adminErrorResponse(bug)).toThrow(bug);
    log.mockRestore();
  });

  it("GIVEN a code without a fixed status WHEN constructed without one THEN it refuses at once", () => {
    expect(() => new AppError("SOMETHING_NEW" as never, "x")).toThrow(/explicit status/);
  });
});
