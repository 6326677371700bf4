// The public API's OpenAPI 3.1 document, as typed data. Served at GET /api/v1/openapi.json.
// Tests keep it honest: a structural validator checks the document, every route file must be in
// it (and everything in it must have a route file), and every response the API tests receive is
// validated against the schema documented for its route and status.
import { ASSET_KINDS } from "~/assets/library-page.server";
import { MAX_UPLOAD_BYTES } from "~/assets/upload-limits";
import { ASPECT_RATIOS, DEFAULT_IMAGE_MODEL, IMAGE_MODEL_IDS, RESOLUTIONS } from "~/generation/models";
import { PRESET_IDS } from "~/generation/presets";
import { MAX_CUSTOM_PROMPT_LENGTH, MAX_PRODUCT_TITLE_LENGTH, MAX_REFINE_INSTRUCTION_LENGTH } from "~/generation/prompts";

/** Variants per generation the API accepts (the lead's domain validation agrees; a test checks). */
export const MAX_API_VARIANTS = 4;

// ---- the subset of OpenAPI 3.1 / JSON Schema 2020-12 this document uses ----------------------
export type JsonSchema = {
  $ref?: string;
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean" | "null" | Array<"string" | "integer" | "number" | "boolean" | "null" | "object" | "array">;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: ReadonlyArray<string | number | null>;
  const?: string | number | boolean;
  format?: "date-time" | "uri" | "binary" | "uuid";
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  examples?: unknown[];
};

export type Parameter = {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  description?: string;
  schema: JsonSchema;
};

export type Header = { description?: string; required?: boolean; schema: JsonSchema };
export type MediaType = { schema: JsonSchema; example?: unknown };
export type ResponseObject = { description: string; headers?: Record<string, Header | { $ref: string }>; content?: Record<string, MediaType> };
export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  /** Lightbox extension: the token scope the operation needs. */
  "x-lightbox-scope"?: "read" | "write";
  parameters?: Array<Parameter | { $ref: string }>;
  requestBody?: { required?: boolean; description?: string; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject | { $ref: string }>;
};
export type PathItem = Partial<Record<"get" | "post" | "delete", Operation>>;
export type OpenApiDocument = {
  openapi: "3.1.0";
  jsonSchemaDialect?: string;
  info: { title: string; version: string; description?: string; contact?: { name?: string; url?: string } };
  servers: Array<{ url: string; description?: string }>;
  tags: Array<{ name: string; description?: string }>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, PathItem>;
  webhooks?: Record<string, PathItem>;
  components: {
    securitySchemes: Record<string, { type: "http"; scheme: "bearer"; bearerFormat?: string; description?: string }>;
    schemas: Record<string, JsonSchema>;
    parameters: Record<string, Parameter>;
    headers: Record<string, Header>;
    responses: Record<string, ResponseObject>;
  };
};

// ---- building blocks -----------------------------------------------------------------------------
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const nullable = (type: "string" | "integer", extra: JsonSchema = {}): JsonSchema => ({ type: [type, "null"], ...extra });
const dateTime = (description: string): JsonSchema => ({ type: "string", format: "date-time", description });

const RATE_HEADERS = {
  "RateLimit-Limit": header("RateLimitLimit"),
  "RateLimit-Remaining": header("RateLimitRemaining"),
  "RateLimit-Reset": header("RateLimitReset"),
  "Request-Id": header("RequestId"),
};

function ok(description: string, schema: JsonSchema, extraHeaders: ResponseObject["headers"] = {}): ResponseObject {
  return { description, headers: { ...RATE_HEADERS, ...extraHeaders }, content: { "application/json": { schema } } };
}

/** Problem responses every authenticated operation may return (400: e.g. a NUL character in an id). */
const COMMON_ERRORS = {
  "400": response("BadRequest"),
  "401": response("Unauthorized"),
  "429": response("TooManyRequests"),
  "500": response("InternalError"),
};
const WRITE_ERRORS = { ...COMMON_ERRORS, "403": response("Forbidden") };
const POST_ERRORS = {
  ...WRITE_ERRORS,
  "409": response("IdempotencyInFlight"),
  "413": response("PayloadTooLarge"),
  "422": response("Unprocessable"),
};

/** Shopify busy (503) or refusing (502) while the request needed it. */
const SHOPIFY_ERRORS = { "502": response("ShopifyRefused"), "503": response("ShopifyUnavailable") };

const problemSchema: JsonSchema = {
  type: "object",
  description: "An RFC 9457 problem document (Content-Type: application/problem+json).",
  required: ["type", "title", "status", "detail", "code"],
  additionalProperties: false,
  properties: {
    type: { type: "string", description: 'A stable identifier per problem, e.g. "urn:lightbox:problem:invalid-token".', pattern: "^urn:lightbox:problem:[a-z0-9-]+$" },
    title: { type: "string", description: "Short, human-readable summary of the problem type." },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string", description: "What went wrong for this request and what to do about it." },
    code: { type: "string", description: 'Machine-readable code, e.g. "INVALID_TOKEN", "INSUFFICIENT_CREDITS".', pattern: "^[A-Z][A-Z_]*$" },
    errors: { type: "array", description: "Per-field errors (invalid input).", items: ref("FieldError") },
    request_id: { type: "string", description: "The request's id (also in the Request-Id header); quote it to support." },
  },
};

function problem(description: string, extraHeaders: ResponseObject["headers"] = {}): ResponseObject {
  return { description, headers: { "Request-Id": header("RequestId"), ...extraHeaders }, content: { "application/problem+json": { schema: ref("Problem") } } };
}

// ---- the document ------------------------------------------------------------------------------
export function openApiDocument(serverUrl = "/api/v1"): OpenApiDocument {
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Lightbox API",
      version: "1.0.0",
      description:
        "Turn product photos into studio images from scripts. Authenticate with a personal access token from Settings > API " +
        '(header "Authorization: Bearer lbx_..."). Errors are RFC 9457 problem documents. POST requests accept an ' +
        "Idempotency-Key header (kept 24 hours). Each token may make 120 requests per minute by default (RateLimit-* headers).",
    },
    servers: [{ url: serverUrl, description: "This Lightbox installation" }],
    tags: [
      { name: "Account", description: "The token and its shop" },
      { name: "Assets", description: "Uploaded, product and generated images" },
      { name: "Generations", description: "Studio images made from product photos" },
      { name: "Products", description: "The shop's Shopify products: publish images to their galleries, revert" },
      { name: "Meta", description: "This document" },
    ],
    security: [{ bearerAuth: [] }],
    paths: {
      "/me": {
        get: {
          operationId: "getMe",
          summary: "The token's shop, name, scopes and the shop's credit balance",
          tags: ["Account"],
          "x-lightbox-scope": "read",
          responses: { "200": ok("The token and its shop", ref("Me")), ...COMMON_ERRORS },
        },
      },
      "/assets": {
        get: {
          operationId: "listAssets",
          summary: "List images, newest first",
          tags: ["Assets"],
          "x-lightbox-scope": "read",
          parameters: [
            { name: "kind", in: "query", description: "Only images of this kind.", schema: { type: "string", enum: [...ASSET_KINDS] } },
            param("ProductIdQuery"),
            param("Limit"),
            param("Cursor"),
          ],
          responses: { "200": ok("One page of images", ref("AssetList")), ...COMMON_ERRORS },
        },
        post: {
          operationId: "uploadAsset",
          summary: "Upload an image",
          description:
            `JPEG, PNG, WebP (HEIC/AVIF where supported), at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB and 50 megapixels. ` +
            "The image is validated, oriented, converted to sRGB and stripped of GPS and other personal metadata. " +
            "Uploading the same bytes again returns the existing image (200, deduplicated: true).",
          tags: ["Assets"],
          "x-lightbox-scope": "write",
          parameters: [param("IdempotencyKey"), param("ProductIdQuery")],
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary", description: "The image file." } } },
              },
            },
          },
          responses: {
            "201": ok("Stored", ref("UploadedAsset"), { Location: header("Location"), "Idempotent-Replayed": header("IdempotentReplayed") }),
            "200": ok("Already stored: the same bytes were uploaded before", ref("UploadedAsset"), {
              Location: header("Location"),
              "Idempotent-Replayed": header("IdempotentReplayed"),
            }),
            "415": response("UnsupportedMediaType"),
            ...POST_ERRORS,
          },
        },
      },
      "/assets/{id}": {
        get: {
          operationId: "getAsset",
          summary: "One image, with download URLs valid for 15 minutes",
          tags: ["Assets"],
          "x-lightbox-scope": "read",
          parameters: [param("Id")],
          responses: { "200": ok("The image", ref("Asset")), "404": response("NotFound"), ...COMMON_ERRORS },
        },
        delete: {
          operationId: "deleteAsset",
          summary: "Delete an image and its stored files for good",
          tags: ["Assets"],
          "x-lightbox-scope": "write",
          parameters: [param("Id")],
          responses: { "204": { description: "Deleted", headers: RATE_HEADERS }, "404": response("NotFound"), ...WRITE_ERRORS },
        },
      },
      "/assets/{id}/refine": {
        post: {
          operationId: "refineAsset",
          summary: "Edit an image with a follow-up instruction",
          description: 'Starts a new generation that edits this image as instructed ("darker background"). 202 with the generation; poll its Location.',
          tags: ["Generations"],
          "x-lightbox-scope": "write",
          parameters: [param("Id"), param("IdempotencyKey")],
          requestBody: { required: true, content: { "application/json": { schema: ref("RefineRequest") } } },
          responses: {
            "202": ok("Accepted: the refinement is queued", ref("Generation"), { Location: header("Location"), "Idempotent-Replayed": header("IdempotentReplayed") }),
            "402": response("PaymentRequired"),
            "404": response("NotFound"),
            "415": response("UnsupportedMediaType"),
            ...POST_ERRORS,
            ...SHOPIFY_ERRORS,
          },
        },
      },
      "/generations": {
        get: {
          operationId: "listGenerations",
          summary: "List generations, newest first",
          tags: ["Generations"],
          "x-lightbox-scope": "read",
          parameters: [
            { name: "status", in: "query", description: "Only generations in this state.", schema: { type: "string", enum: ["queued", "running", "succeeded", "failed"] } },
            param("ProductIdQuery"),
            { name: "limit", in: "query", description: "Page size.", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
            param("Cursor"),
          ],
          responses: { "200": ok("One page of generations", ref("GenerationList")), ...COMMON_ERRORS },
        },
        post: {
          operationId: "createGeneration",
          summary: "Generate studio images from product photos",
          description:
            "Debits the credits up front (none with the shop's own Gemini key) and queues the work: 202 with the generation " +
            "and its Location. Poll GET /generations/{id} or pass webhook_url. A failed generation refunds its credits.",
          tags: ["Generations"],
          "x-lightbox-scope": "write",
          parameters: [param("IdempotencyKey")],
          requestBody: { required: true, content: { "application/json": { schema: ref("GenerationRequest") } } },
          responses: {
            "202": ok("Accepted: the generation is queued", ref("Generation"), { Location: header("Location"), "Idempotent-Replayed": header("IdempotentReplayed") }),
            "402": response("PaymentRequired"),
            "404": response("NotFound"),
            "415": response("UnsupportedMediaType"),
            ...POST_ERRORS,
            ...SHOPIFY_ERRORS,
          },
        },
      },
      "/generations/{id}": {
        get: {
          operationId: "getGeneration",
          summary: "A generation: status, progress and outputs with download URLs",
          tags: ["Generations"],
          "x-lightbox-scope": "read",
          parameters: [param("Id")],
          responses: { "200": ok("The generation", ref("Generation")), "404": response("NotFound"), ...COMMON_ERRORS },
        },
      },
      "/products": {
        get: {
          operationId: "listProducts",
          summary: "List the shop's products from Shopify, by title",
          description: "20 products a page. next_cursor is Shopify's cursor, passed through: send it back unchanged as cursor.",
          tags: ["Products"],
          "x-lightbox-scope": "read",
          parameters: [
            { name: "query", in: "query", description: "Only products whose title contains this text.", schema: { type: "string", maxLength: 200 } },
            { name: "cursor", in: "query", description: "next_cursor from the previous page; leave out for the first page.", schema: { type: "string", maxLength: 500 } },
          ],
          responses: { "200": ok("One page of products", ref("ProductList")), ...SHOPIFY_ERRORS, ...COMMON_ERRORS },
        },
      },
      "/products/{id}": {
        get: {
          operationId: "getProduct",
          summary: "A product's gallery in Shopify and Lightbox's images for it, with their publications",
          tags: ["Products"],
          "x-lightbox-scope": "read",
          parameters: [param("ProductId")],
          responses: { "200": ok("The product", ref("Product")), "404": response("NotFound"), ...SHOPIFY_ERRORS, ...COMMON_ERRORS },
        },
      },
      "/products/{id}/publish": {
        post: {
          operationId: "publishToProduct",
          summary: "Publish images to the product's gallery",
          description:
            "Queues one publication per image and a job that adds them to the product in Shopify (202). Poll GET /products/{id} " +
            "until each publication is ready (or failed). Images already being published are left alone (already_in_progress). " +
            "The gallery as it was before Lightbox first changed it is kept for revert.",
          tags: ["Products"],
          "x-lightbox-scope": "write",
          parameters: [param("ProductId"), param("IdempotencyKey")],
          requestBody: { required: true, content: { "application/json": { schema: ref("PublishRequest") } } },
          responses: {
            "202": ok("Accepted: the publish job is queued", ref("PublishAccepted"), { Location: header("Location"), "Idempotent-Replayed": header("IdempotentReplayed") }),
            "404": response("NotFound"),
            "415": response("UnsupportedMediaType"),
            ...POST_ERRORS,
            ...SHOPIFY_ERRORS,
          },
        },
      },
      "/products/{id}/revert": {
        post: {
          operationId: "revertProduct",
          summary: "Restore the product's gallery to what it was before Lightbox changed it",
          description: "Queues a revert job (202). 409 when there is nothing to revert, or images are still being published.",
          tags: ["Products"],
          "x-lightbox-scope": "write",
          parameters: [param("ProductId"), param("IdempotencyKey")],
          responses: {
            "202": ok("Accepted: the revert job is queued", ref("RevertAccepted"), { Location: header("Location"), "Idempotent-Replayed": header("IdempotentReplayed") }),
            "404": response("NotFound"),
            ...POST_ERRORS,
            "409": response("ConflictOrInFlight"),
            ...SHOPIFY_ERRORS,
          },
        },
      },
      "/openapi.json": {
        get: {
          operationId: "getOpenApi",
          summary: "This OpenAPI document",
          tags: ["Meta"],
          security: [],
          responses: { "200": { description: "OpenAPI 3.1 document", content: { "application/json": { schema: { type: "object" } } } } },
        },
      },
    },
    webhooks: {
      generationFinished: {
        post: {
          operationId: "generationFinished",
          summary: "A generation created with webhook_url succeeded or failed",
          description:
            "POSTed to the generation's webhook_url with headers Lightbox-Event, Lightbox-Delivery and " +
            "Lightbox-Signature: t=<unix seconds>,v1=<hex>. v1 is HMAC-SHA256 over \"<t>.<raw body>\" keyed with the " +
            "shop's signing secret (whsec_..., Settings > API); during a key rotation several v1 values are sent, accept " +
            "any. Refuse timestamps older than 5 minutes. Answer 2xx within 10 seconds; anything else is retried with " +
            "backoff, up to 8 attempts.",
          tags: ["Generations"],
          security: [],
          requestBody: { required: true, content: { "application/json": { schema: ref("WebhookEvent") } } },
          responses: { "200": { description: "Received (any 2xx)" } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "lbx_<36 base62 characters>",
          description: "A personal access token from Settings > API. Scopes: read; write (includes read).",
        },
      },
      parameters: {
        Id: { name: "id", in: "path", required: true, description: "The object's id.", schema: { type: "string", minLength: 1 } },
        Limit: { name: "limit", in: "query", description: "Page size.", schema: { type: "integer", minimum: 1, maximum: 100, default: 24 } },
        Cursor: {
          name: "cursor",
          in: "query",
          description: "next_cursor from the previous page; leave out for the first page.",
          schema: { type: "string", maxLength: 500 },
        },
        ProductIdQuery: {
          name: "product_id",
          in: "query",
          description: 'A Shopify product, as a GID ("gid://shopify/Product/123") or its numeric id.',
          schema: { type: "string", pattern: "^(gid://shopify/Product/)?[0-9]{1,20}$" },
        },
        ProductId: {
          name: "id",
          in: "path",
          required: true,
          description: 'A Shopify product: its numeric id ("8012345678") or its GID, URL-encoded ("gid%3A%2F%2Fshopify%2FProduct%2F8012345678").',
          schema: { type: "string", minLength: 1 },
        },
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          description:
            "Makes a retried POST safe: the same key with the same request replays the first response (Idempotent-Replayed: true) " +
            "for 24 hours; the same key with a different request is refused (422); while the first is still running, 409.",
          schema: { type: "string", minLength: 1, maxLength: 255 },
        },
      },
      headers: {
        RateLimitLimit: { description: "Requests allowed per window for this token.", required: true, schema: { type: "integer" } },
        RateLimitRemaining: { description: "Requests left in the current window.", required: true, schema: { type: "integer" } },
        RateLimitReset: { description: "Seconds until the current window ends.", required: true, schema: { type: "integer" } },
        RetryAfter: { description: "Seconds to wait before retrying.", required: true, schema: { type: "integer" } },
        RequestId: { description: "This request's id, as shown in the request log.", required: true, schema: { type: "string" } },
        Location: { description: "URL of the created resource.", required: true, schema: { type: "string" } },
        IdempotentReplayed: { description: '"true" when this is the stored response of an earlier request with the same Idempotency-Key.', schema: { type: "string", enum: ["true"] } },
        WwwAuthenticate: { description: "The Bearer challenge (RFC 6750).", required: true, schema: { type: "string" } },
      },
      responses: {
        BadRequest: problem("Invalid query parameters, cursor, JSON or Idempotency-Key"),
        Unauthorized: problem("Missing, malformed, mistyped, unknown, revoked or expired token", { "WWW-Authenticate": header("WwwAuthenticate") }),
        Forbidden: problem("The token lacks the scope this operation needs", { "WWW-Authenticate": header("WwwAuthenticate") }),
        NotFound: problem("No such object in this shop"),
        IdempotencyInFlight: problem("A request with this Idempotency-Key is still running", { "Retry-After": header("RetryAfter") }),
        PayloadTooLarge: problem("The body is too large"),
        UnsupportedMediaType: problem("Wrong Content-Type, or a file that is not a supported image"),
        Unprocessable: problem("Invalid input (see errors), or an Idempotency-Key reused with a different request"),
        PaymentRequired: problem("Not enough credits"),
        ConflictOrInFlight: problem("Nothing to revert, images still being published, or a request with this Idempotency-Key is still running (then with Retry-After)"),
        ShopifyRefused: problem("Shopify refused the request, or Lightbox is no longer connected to the shop"),
        ShopifyUnavailable: problem("Shopify is busy or unreachable: retry later"),
        TooManyRequests: problem("Rate limit exceeded for this token", { "Retry-After": header("RetryAfter"), ...RATE_HEADERS }),
        InternalError: problem("Unexpected error (no details are exposed; quote request_id)"),
      },
      schemas: {
        Problem: problemSchema,
        FieldError: {
          type: "object",
          required: ["field", "detail"],
          additionalProperties: false,
          properties: {
            field: { type: "string", description: 'The field, in the API\'s names, e.g. "source_asset_ids" or "scopes.0".' },
            detail: { type: "string" },
          },
        },
        Me: {
          type: "object",
          required: ["shop", "token", "credits"],
          additionalProperties: false,
          properties: {
            shop: { type: "object", required: ["domain"], additionalProperties: false, properties: { domain: { type: "string", examples: ["example.myshopify.com"] } } },
            token: {
              type: "object",
              required: ["id", "name", "scopes", "expires_at"],
              additionalProperties: false,
              properties: {
                id: { type: "string" },
                name: { type: "string" },
                scopes: { type: "array", items: { type: "string", enum: ["read", "write"] } },
                expires_at: nullable("string", { format: "date-time" }),
              },
            },
            credits: { type: "object", required: ["balance"], additionalProperties: false, properties: { balance: { type: "integer", minimum: 0 } } },
          },
        },
        AssetUrls: {
          type: "object",
          description: "Short-lived download URLs (15 minutes).",
          required: ["original", "display", "thumb", "expires_at"],
          additionalProperties: false,
          properties: {
            original: { type: "string", format: "uri", description: "The stored original (downloads as an attachment)." },
            display: { type: "string", format: "uri", description: "WebP, at most 2048 px on the long side." },
            thumb: { type: "string", format: "uri", description: "WebP thumbnail." },
            expires_at: dateTime("When the URLs stop working."),
          },
        },
        Asset: {
          type: "object",
          required: [
            "id", "object", "kind", "filename", "mime_type", "format", "width", "height", "bytes", "sha256",
            "product_id", "generation_id", "variant_index", "created_at",
          ],
          additionalProperties: false,
          properties: {
            id: { type: "string" },
            object: { const: "asset" },
            kind: { type: "string", enum: [...ASSET_KINDS] },
            filename: nullable("string"),
            mime_type: { type: "string", enum: ["image/jpeg", "image/png", "image/webp"] },
            format: { type: "string", enum: ["jpeg", "png", "webp"] },
            width: { type: "integer", minimum: 1 },
            height: { type: "integer", minimum: 1 },
            bytes: { type: "integer", minimum: 1 },
            sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
            product_id: nullable("string"),
            generation_id: nullable("string"),
            variant_index: nullable("integer"),
            created_at: dateTime("When the image was added."),
            urls: ref("AssetUrls"),
          },
        },
        UploadedAsset: {
          type: "object",
          description: "The stored image (without URLs: GET /assets/{id} for those) and whether it already existed.",
          required: ["id", "object", "kind", "width", "height", "sha256", "created_at", "deduplicated"],
          properties: {
            id: { type: "string" },
            object: { const: "asset" },
            kind: { type: "string", enum: ["upload"] },
            filename: nullable("string"),
            mime_type: { type: "string" },
            format: { type: "string" },
            width: { type: "integer" },
            height: { type: "integer" },
            bytes: { type: "integer" },
            sha256: { type: "string" },
            product_id: nullable("string"),
            generation_id: nullable("string"),
            variant_index: nullable("integer"),
            created_at: dateTime("When the image was added."),
            deduplicated: { type: "boolean", description: "true when these exact bytes were already stored." },
          },
          additionalProperties: false,
        },
        Generation: {
          type: "object",
          required: [
            "id", "object", "status", "progress", "model", "provider", "preset_id", "custom_prompt", "instruction",
            "aspect_ratio", "resolution", "variants", "source_asset_ids", "reference_asset_ids", "product_id",
            "parent_asset_id", "credits_charged", "used_own_key", "error", "webhook_url", "created_at", "started_at",
            "finished_at", "outputs",
          ],
          additionalProperties: false,
          properties: {
            id: { type: "string" },
            object: { const: "generation" },
            status: { type: "string", enum: ["queued", "running", "succeeded", "failed"] },
            progress: { type: "integer", minimum: 0, maximum: 100, description: "Percent done." },
            model: { type: "string", enum: [...IMAGE_MODEL_IDS] },
            provider: { type: "string", enum: ["gemini", "offline"], description: '"offline": the local compositor (no AI key configured).' },
            preset_id: nullable("string"),
            custom_prompt: nullable("string"),
            instruction: nullable("string", { description: "Refinements: the follow-up instruction." }),
            aspect_ratio: { type: "string", enum: [...ASPECT_RATIOS] },
            resolution: { type: "string", enum: [...RESOLUTIONS] },
            variants: { type: "integer", minimum: 1, maximum: MAX_API_VARIANTS },
            source_asset_ids: { type: "array", items: { type: "string" } },
            reference_asset_ids: { type: "array", items: { type: "string" } },
            product_id: nullable("string"),
            parent_asset_id: nullable("string", { description: "Refinements: the output that was edited." }),
            credits_charged: { type: "integer", minimum: 0 },
            used_own_key: { type: "boolean", description: "true when the shop's own Gemini key was used (no credits)." },
            error: {
              type: ["object", "null"],
              required: ["code", "message"],
              additionalProperties: false,
              properties: { code: { type: "string" }, message: { type: "string" } },
            },
            webhook_url: nullable("string"),
            created_at: dateTime("When it was requested."),
            started_at: nullable("string", { format: "date-time" }),
            finished_at: nullable("string", { format: "date-time" }),
            outputs: { type: "array", description: "The generated images, in variant order, with download URLs.", items: ref("Asset") },
          },
        },
        GenerationList: {
          type: "object",
          required: ["data", "next_cursor"],
          additionalProperties: false,
          properties: {
            data: { type: "array", items: ref("Generation") },
            next_cursor: nullable("string", { description: "Pass as cursor for the next page; null on the last page." }),
          },
        },
        GenerationRequest: {
          type: "object",
          required: ["source_asset_ids"],
          additionalProperties: false,
          description: "Give preset_id, custom_prompt, or both.",
          properties: {
            source_asset_ids: { type: "array", minItems: 1, maxItems: 6, items: { type: "string" }, description: "Photos of the product (asset ids)." },
            reference_asset_ids: { type: "array", maxItems: 4, items: { type: "string" }, description: "Style references (asset ids)." },
            preset_id: { type: "string", enum: [...PRESET_IDS] },
            custom_prompt: { type: "string", maxLength: MAX_CUSTOM_PROMPT_LENGTH, description: "Describe the scene in your own words." },
            model: { type: "string", enum: [...IMAGE_MODEL_IDS], default: DEFAULT_IMAGE_MODEL },
            aspect_ratio: { type: "string", enum: [...ASPECT_RATIOS], default: "1:1" },
            resolution: { type: "string", enum: [...RESOLUTIONS], default: "1K" },
            variants: { type: "integer", minimum: 1, maximum: MAX_API_VARIANTS, default: 1 },
            product_id: { type: "string", pattern: "^(gid://shopify/Product/)?[0-9]{1,20}$", description: "The product the images are for." },
            product_title: { type: "string", maxLength: MAX_PRODUCT_TITLE_LENGTH, description: "Helps the model name the product." },
            webhook_url: {
              type: "string",
              format: "uri",
              description: "https URL to POST the outcome to (see webhooks); private and loopback networks are refused.",
            },
          },
        },
        RefineRequest: {
          type: "object",
          required: ["instruction"],
          additionalProperties: false,
          properties: {
            instruction: { type: "string", minLength: 3, maxLength: MAX_REFINE_INSTRUCTION_LENGTH, examples: ["darker background"] },
            webhook_url: { type: "string", format: "uri" },
          },
        },
        WebhookEvent: {
          type: "object",
          required: ["id", "event", "created_at", "generation"],
          additionalProperties: false,
          properties: {
            id: { type: "string", description: "Delivery id: the same on every retry of this event (deduplicate on it)." },
            event: { type: "string", enum: ["generation.succeeded", "generation.failed"] },
            created_at: dateTime("When the generation ended."),
            generation: ref("Generation"),
          },
        },
        ProductSummary: {
          type: "object",
          required: ["id", "object", "numeric_id", "title", "handle", "status", "image_url", "media_count", "generated_count"],
          additionalProperties: false,
          properties: {
            id: { type: "string", description: "The product's GID.", examples: ["gid://shopify/Product/8012345678"] },
            object: { const: "product" },
            numeric_id: { type: "string", pattern: "^[0-9]+$" },
            title: { type: "string" },
            handle: { type: "string" },
            status: { type: "string", description: "Shopify's status: ACTIVE, DRAFT, ARCHIVED." },
            image_url: nullable("string", { description: "The featured image (a small preview from Shopify's CDN)." }),
            media_count: { type: "integer", minimum: 0, description: "Media in the product's gallery." },
            generated_count: { type: "integer", minimum: 0, description: "Lightbox images generated for the product." },
          },
        },
        ProductList: {
          type: "object",
          required: ["data", "next_cursor"],
          additionalProperties: false,
          properties: {
            data: { type: "array", items: ref("ProductSummary") },
            next_cursor: nullable("string", { description: "Pass as cursor for the next page; null on the last page." }),
          },
        },
        Product: {
          type: "object",
          required: ["id", "object", "numeric_id", "title", "gallery", "images", "publication_counts", "snapshot", "can_revert", "activity"],
          additionalProperties: false,
          properties: {
            id: { type: "string" },
            object: { const: "product" },
            numeric_id: { type: "string" },
            title: { type: "string" },
            gallery: {
              type: "array",
              description: "The product's media in Shopify now, in order (position 0 is the featured image).",
              items: {
                type: "object",
                required: ["media_id", "position", "alt", "status", "preview_url", "error", "from_lightbox"],
                additionalProperties: false,
                properties: {
                  media_id: { type: "string" },
                  position: { type: "integer", minimum: 0 },
                  alt: { type: "string" },
                  status: { type: "string", description: "Shopify's media status: UPLOADED, PROCESSING, READY, FAILED." },
                  preview_url: nullable("string"),
                  error: nullable("string"),
                  from_lightbox: { type: "boolean", description: "Put there by Lightbox." },
                },
              },
            },
            images: {
              type: "array",
              description: "Lightbox images for the product (newest first, at most 60) and their publications.",
              items: {
                type: "object",
                required: ["asset_id", "kind", "filename", "width", "height", "created_at", "thumb_url", "publication"],
                additionalProperties: false,
                properties: {
                  asset_id: { type: "string" },
                  kind: { type: "string", enum: [...ASSET_KINDS] },
                  filename: nullable("string"),
                  width: { type: "integer" },
                  height: { type: "integer" },
                  created_at: dateTime("When the image was added."),
                  thumb_url: { type: "string", description: "Thumbnail URL, valid for an hour." },
                  publication: {
                    type: ["object", "null"],
                    required: ["id", "status", "alt_text", "error", "on_product"],
                    additionalProperties: false,
                    properties: {
                      id: { type: "string" },
                      status: ref("PublicationStatus"),
                      alt_text: { type: "string" },
                      error: nullable("string"),
                      on_product: { type: "boolean", description: "Published and still in the product's gallery." },
                    },
                  },
                },
              },
            },
            publication_counts: {
              type: "object",
              required: ["queued", "processing", "ready", "failed", "reverted"],
              additionalProperties: false,
              properties: {
                queued: { type: "integer" },
                processing: { type: "integer" },
                ready: { type: "integer" },
                failed: { type: "integer" },
                reverted: { type: "integer" },
              },
            },
            snapshot: {
              type: ["object", "null"],
              description: "The gallery kept from before Lightbox's first change (what revert restores).",
              required: ["taken_at", "media_count", "restored_at"],
              additionalProperties: false,
              properties: {
                taken_at: { type: "string", format: "date-time" },
                media_count: { type: "integer" },
                restored_at: nullable("string", { format: "date-time" }),
              },
            },
            can_revert: { type: "boolean" },
            activity: {
              type: ["object", "null"],
              description: "The latest publish or revert job for the product.",
              required: ["kind", "status", "progress", "message"],
              additionalProperties: false,
              properties: {
                kind: { type: "string", enum: ["publish", "revert"] },
                status: { type: "string" },
                progress: { type: "integer" },
                message: nullable("string"),
              },
            },
          },
        },
        PublicationStatus: { type: "string", enum: ["queued", "processing", "ready", "failed", "reverted"] },
        PublishRequest: {
          type: "object",
          required: ["asset_ids"],
          additionalProperties: false,
          properties: {
            asset_ids: { type: "array", minItems: 1, maxItems: 20, items: { type: "string" }, description: "Images to publish (generated or uploaded), in gallery order." },
            alt_texts: {
              type: "object",
              additionalProperties: { type: "string", maxLength: 512 },
              description: "Alt text per asset id; without one the image's generated description is used.",
            },
            position: { type: "integer", minimum: 0, maximum: 249, description: "0-based gallery position of the first image (the others follow it); default: appended." },
            featured: { type: "boolean", description: "true: the (first) image becomes the featured image (position 0)." },
            replace_media_id: {
              type: "string",
              pattern: "^gid://shopify/(MediaImage|Video|ExternalVideo|Model3d)/[0-9]+$",
              description: "With one asset: take this product image's place (it is kept in Files, so revert can restore it).",
            },
          },
        },
        PublishAccepted: {
          type: "object",
          required: ["object", "product_id", "job_id", "publications", "already_in_progress"],
          additionalProperties: false,
          properties: {
            object: { const: "publish_request" },
            product_id: { type: "string" },
            job_id: nullable("string", { description: "null when every image was already being published." }),
            publications: {
              type: "array",
              items: {
                type: "object",
                required: ["id", "asset_id", "status", "alt_text", "position", "replace_media_id", "media_id"],
                additionalProperties: false,
                properties: {
                  id: { type: "string" },
                  asset_id: { type: "string" },
                  status: ref("PublicationStatus"),
                  alt_text: { type: "string" },
                  position: nullable("integer"),
                  replace_media_id: nullable("string"),
                  media_id: nullable("string"),
                },
              },
            },
            already_in_progress: { type: "array", items: { type: "string" }, description: "Asset ids that were already being published (left as they are)." },
          },
        },
        RevertAccepted: {
          type: "object",
          required: ["object", "product_id", "job_id"],
          additionalProperties: false,
          properties: { object: { const: "revert_request" }, product_id: { type: "string" }, job_id: { type: "string" } },
        },
        AssetList: {
          type: "object",
          required: ["data", "next_cursor"],
          additionalProperties: false,
          properties: {
            data: { type: "array", items: ref("Asset") },
            next_cursor: nullable("string", { description: "Pass as cursor for the next page; null on the last page." }),
          },
        },
      },
    },
  };
}
