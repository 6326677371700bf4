// One endpoint of the public API, as data: method, path, scope, the zod schemas of everything it
// accepts (path, query, body) and answers (per status), and the prose of its documentation.
// apiRoute (route.server.ts) parses requests with these schemas and nothing else; document.ts
// generates the OpenAPI document from the list of them (endpoints.ts).
import { z } from "zod";

import type { TokenScope } from "~/tokens/scopes";

export type ApiMethod = "GET" | "POST" | "DELETE";

export const TAGS = {
  Account: "The token and its shop",
  Assets: "Uploaded, product and generated images",
  Generations: "Studio images made from product photos",
  Products: "The shop's Shopify products: publish images to their galleries, revert",
  Batches: "One style over many products: a cost preview, then paced, resumable work with a review queue",
  Usage: "The credit ledger: grants, debits, refunds, expired plan credits",
  Exports: "ZIP downloads of images with their manifest, or of all the shop's data",
  Meta: "This document",
} as const;
export type Tag = keyof typeof TAGS;

/** The problem responses (#/components/responses/<name>) and the headers they carry. */
export const PROBLEMS = {
  BadRequest: { description: "Invalid query parameters, cursor, JSON or Idempotency-Key" },
  Unauthorized: { description: "Missing, malformed, mistyped, unknown, revoked or expired token", headers: ["WWW-Authenticate"] },
  Forbidden: { description: "The token lacks the scope this operation needs", headers: ["WWW-Authenticate"] },
  NotFound: { description: "No such object in this shop" },
  IdempotencyInFlight: { description: "A request with this Idempotency-Key is still running", headers: ["Retry-After"] },
  PayloadTooLarge: { description: "The body is too large" },
  UnsupportedMediaType: { description: "Wrong Content-Type, or a file that is not a supported image" },
  Unprocessable: { description: "Invalid input (see errors), or an Idempotency-Key reused with a different request" },
  PaymentRequired: { description: "Not enough credits" },
  Conflict: { description: "The object is not in a state that allows this (e.g. resuming a batch that is not paused)" },
  ConflictOrInFlight: {
    description: "Nothing to revert, images still being published, or a request with this Idempotency-Key is still running (then with Retry-After)",
  },
  ShopifyRefused: { description: "Shopify refused the request, or Lightbox is no longer connected to the shop" },
  ShopifyUnavailable: { description: "Shopify is busy or unreachable: retry later" },
  TooManyRequests: { description: "Rate limit exceeded (this token, its shop, or failed authentications from this address), the shop has too many jobs waiting, or (generations) the token's daily credit cap is reached", headers: ["Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"] },
  InternalError: { description: "Unexpected error (no details are exposed; quote request_id)" },
} as const satisfies Record<string, { description: string; headers?: readonly string[] }>;
export type ProblemName = keyof typeof PROBLEMS;

/** Shopify busy (503) or refusing (502) while the request needed it. */
export const SHOPIFY_PROBLEMS = { 502: "ShopifyRefused", 503: "ShopifyUnavailable" } as const satisfies Record<number, ProblemName>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any object schema, strict or not
export type ObjectSchema = z.ZodObject<any, any>;

export type RequestBody = { type: "application/json" | "multipart/form-data"; schema: ObjectSchema };

/** A 2xx answer: its JSON body (none for 204) and whether it carries a Location. */
export type Success = { description: string; body?: z.ZodType; location?: true };
export type Successes = Record<number, Success>;

export type Endpoint<
  P extends ObjectSchema = ObjectSchema,
  Q extends ObjectSchema = ObjectSchema,
  B extends RequestBody | undefined = RequestBody | undefined,
  R extends Successes = Successes,
> = {
  operationId: string;
  method: ApiMethod;
  /** Relative to /api/v1, OpenAPI style: "/assets/{id}". */
  path: `/${string}`;
  /** The token scope it needs; none: public, no token (the document itself). */
  scope?: TokenScope;
  tags: Tag[];
  summary: string;
  description?: string;
  params: P;
  query: Q;
  body: B;
  responses: R;
  /** Problem responses beyond those every endpoint of its kind has (see document.ts). */
  problems: Partial<Record<number, ProblemName>>;
  /** Largest accepted request body (POST); default 1 MB. */
  maxBodyBytes?: number;
};

const NONE = z.strictObject({});
type None = typeof NONE;

/**
 * An endpoint: `defineEndpoint("GET /assets/{id}", "read", "Assets", "One image", { params, responses })`.
 * Scope null: public, no token. Params, query and body default to "nothing" (anything sent is refused).
 * The operationId is its key in the list (`nameEndpoints`).
 */
export function defineEndpoint<
  const R extends Successes,
  P extends ObjectSchema = None,
  Q extends ObjectSchema = None,
  B extends RequestBody | undefined = undefined,
>(
  route: `${ApiMethod} /${string}`,
  scope: TokenScope | null,
  tag: Tag,
  summary: string,
  definition: Pick<Endpoint<P, Q, B, R>, "responses"> &
    Partial<Pick<Endpoint<P, Q, B, R>, "description" | "params" | "query" | "body" | "problems" | "maxBodyBytes">>,
): Endpoint<P, Q, B, R> {
  const [method, path] = route.split(" ") as [ApiMethod, `/${string}`];
  const endpoint = { operationId: "", method, path, tags: [tag], summary, params: NONE, query: NONE, body: undefined, problems: {}, ...definition };
  const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
  const declared = Object.keys(endpoint.params.shape).sort();
  if (inPath.join() !== declared.join()) throw new Error(`${route} names {${inPath.join("}, {")}} in its path but params declares ${declared.join(", ") || "none"}`);
  return { ...endpoint, ...(scope ? { scope } : {}) } as Endpoint<P, Q, B, R>;
}

/** The list of endpoints, each named (operationId) by its key. */
export function nameEndpoints<const T extends Record<string, Endpoint>>(list: T): T {
  for (const [name, endpoint] of Object.entries(list)) endpoint.operationId = name;
  return list;
}

/** The Remix route pattern of an endpoint: "/assets/{id}" -> "/api/v1/assets/:id". */
export function routePatternOf(endpoint: Pick<Endpoint, "path">): string {
  return `/api/v1${endpoint.path.replace(/\{(\w+)\}/g, ":$1")}`;
}

export type ParsedInput<E extends Endpoint> = {
  params: z.output<E["params"]>;
  query: z.output<E["query"]>;
  body: E["body"] extends RequestBody ? z.output<E["body"]["schema"]> : undefined;
};

type ReplyInit = { location?: string; headers?: HeadersInit };

/** `respond(status, body)`: only the statuses the endpoint documents, with the body its schema describes. */
export type Responder<R extends Successes> = <S extends keyof R & number>(
  status: S,
  ...args: R[S]["body"] extends z.ZodType ? [data: z.input<R[S]["body"]>, init?: ReplyInit] : [data?: null, init?: ReplyInit]
) => Response;

export function responder<R extends Successes>(endpoint: Endpoint<ObjectSchema, ObjectSchema, RequestBody | undefined, R>): Responder<R> {
  return (status, ...[data, init]) => {
    const documented = endpoint.responses[status];
    if (!documented) throw new Error(`${endpoint.operationId} does not document status ${status}`);
    const headers = new Headers(init?.headers);
    if (init?.location) headers.set("Location", init.location);
    if (documented.location && !headers.has("Location")) throw new Error(`${endpoint.operationId} ${status}: the document promises a Location`);
    if (!documented.body) return new Response(null, { status, headers });
    return Response.json(data, { status, headers });
  };
}
