// The public API's one wrapper. A route file is
//   export const loader = apiRoute({ method: "GET", scope: "read", route: "/api/v1/assets/:id" }, handler)
// and the handler only parses, makes one domain call and responds. Everything else happens here,
// in this order:
//   method -> bearer token (shape/checksum before any query) -> rate limit -> scope
//   -> body (size-limited) -> Idempotency-Key (POST) -> handler -> problem+json on errors
//   -> headers (Request-Id, RateLimit-*) -> request log.
import { randomUUID } from "node:crypto";

import { db } from "~/db.server";
import { hasScope, type TokenScope } from "~/tokens/scopes";
import { TokenAuthError, verifyApiToken, type AuthenticatedToken } from "~/tokens/verify-token.server";

import { DEFAULT_MAX_BODY_BYTES, readBodyLimited } from "./body.server";
import { clientIp } from "./client-ip.server";
import { apiConfig, apiRateLimiter } from "./config.server";
import {
  beginIdempotentRequest,
  finishIdempotentRequest,
  IDEMPOTENCY_HEADER,
  isValidIdempotencyKey,
  requestFingerprint,
} from "./idempotency.server";
import { ApiProblem, problemFromError, problemResponse } from "./problem.server";
import type { RateLimitDecision } from "./rate-limit.server";
import { writeRequestLog } from "./request-log.server";

export type ApiMethod = "GET" | "POST" | "DELETE";

export type ApiRouteOptions = {
  method: ApiMethod;
  scope: TokenScope;
  /** The route pattern as Remix matches it, e.g. "/api/v1/assets/:id" (logged instead of the path). */
  route: string;
  /** Largest accepted request body (POST); default 1 MB. */
  maxBodyBytes?: number;
};

export type ApiContext = {
  /** The request; for POST its body was read once (size-limited) and is readable again here. */
  request: Request;
  url: URL;
  params: Record<string, string | undefined>;
  shop: { id: string; domain: string };
  token: Pick<AuthenticatedToken, "id" | "name" | "scopes" | "expiresAt">;
  requestId: string;
  /** The JSON body: 415 unless Content-Type is JSON, 400 if it does not parse. */
  json(): unknown;
};

export type RouteArgs = { request: Request; params: Record<string, string | undefined>; context?: unknown };
export type ApiHandler = ((args: RouteArgs) => Promise<Response>) & { readonly api: ApiRouteOptions };

const REALM = 'Bearer realm="Lightbox API"';
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Methods declared per route pattern (for 405 Allow headers). */
const declared = new Map<string, Set<string>>();

export function declaredApiRoutes(): Array<{ route: string; methods: string[] }> {
  return [...declared].map(([route, methods]) => ({ route, methods: [...methods] }));
}

/**
 * "req_" + the time in base62 (fixed width, so ids sort by time) + 12 random hex characters. Time
 * order keeps the log table's primary-key index append-only, which makes batched inserts cheap.
 */
function newRequestId(): string {
  let time = "";
  for (let t = Date.now(); time.length < 8; t = Math.floor(t / 62)) time = BASE62[t % 62] + time;
  // randomUUID draws from a pooled random buffer: ~10x cheaper per call than randomBytes.
  return `req_${time}${randomUUID().replace(/-/g, "").slice(0, 12)}`;
}

const TOKEN_CODES: Record<TokenAuthError["reason"], string> = {
  missing: "UNAUTHENTICATED",
  malformed: "INVALID_TOKEN",
  checksum: "INVALID_TOKEN",
  unknown: "INVALID_TOKEN",
  revoked: "TOKEN_REVOKED",
  expired: "TOKEN_EXPIRED",
};

function unauthorized(error: TokenAuthError): ApiProblem {
  // RFC 6750: no error code when no credentials were sent at all.
  const challenge =
    error.reason === "missing"
      ? REALM
      : `${REALM}, error="invalid_token", error_description="${error.message.replace(/["\\]/g, "'")}"`;
  return new ApiProblem(401, TOKEN_CODES[error.reason], "Unauthorized", error.message, { headers: { "WWW-Authenticate": challenge } });
}

function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match) {
    throw new ApiProblem(
      401,
      "UNAUTHENTICATED",
      "Unauthorized",
      'Use the Bearer scheme: "Authorization: Bearer lbx_...".',
      { headers: { "WWW-Authenticate": REALM } },
    );
  }
  return match[1]!;
}

function rateLimitHeaders(headers: Headers, decision: RateLimitDecision, windowMs: number) {
  headers.set("RateLimit-Limit", String(decision.limit));
  headers.set("RateLimit-Remaining", String(decision.remaining));
  headers.set("RateLimit-Reset", String(decision.resetSeconds));
  headers.set("RateLimit-Policy", `${decision.limit};w=${Math.round(windowMs / 1000)}`);
  if (!decision.allowed) headers.set("Retry-After", String(decision.retryAfterSeconds));
}

/** Copies a response with extra headers (Remix/undici responses may have immutable headers). */
function withHeaders(response: Response, extra: Headers): Response {
  const headers = new Headers(response.headers);
  extra.forEach((value, name) => headers.set(name, value));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export function apiRoute(options: ApiRouteOptions, handler: (ctx: ApiContext) => Promise<Response>): ApiHandler {
  const methods = declared.get(options.route) ?? new Set<string>();
  methods.add(options.method);
  declared.set(options.route, methods);

  const handle = async (args: RouteArgs): Promise<Response> => {
    const started = performance.now();
    const createdAt = new Date();
    const requestId = newRequestId();
    const ip = clientIp(args.request, args.context);
    const extra = new Headers({ "Request-Id": requestId, "Cache-Control": "no-store" });
    let logFor: { shopId: string; tokenId: string } | null = null;

    const run = async (): Promise<Response> => {
      const method = args.request.method.toUpperCase();
      if (method !== options.method && !(method === "HEAD" && options.method === "GET")) {
        const allow = [...(declared.get(options.route) ?? [options.method])].join(", ");
        throw new ApiProblem(405, "METHOD_NOT_ALLOWED", "Method not allowed", `${options.route} accepts ${allow}, not ${method}.`, {
          headers: { Allow: allow },
        });
      }

      let token: AuthenticatedToken;
      try {
        token = await verifyApiToken(db, bearerToken(args.request), { now: createdAt, ip });
      } catch (error) {
        if (error instanceof TokenAuthError) {
          if (error.known) logFor = { shopId: error.known.shopId, tokenId: error.known.tokenId };
          throw unauthorized(error);
        }
        throw error;
      }
      logFor = { shopId: token.shop.id, tokenId: token.id };

      const { rateLimit } = apiConfig();
      const decision = await apiRateLimiter().hit(token.id, rateLimit);
      rateLimitHeaders(extra, decision, rateLimit.windowMs);
      if (!decision.allowed) {
        throw new ApiProblem(
          429,
          "RATE_LIMITED",
          "Too many requests",
          `This token may make ${rateLimit.limit} requests per ${Math.round(rateLimit.windowMs / 1000)} seconds. Wait ${decision.retryAfterSeconds} s (Retry-After) and slow down.`,
        );
      }

      if (!hasScope(token.scopes, options.scope)) {
        throw new ApiProblem(
          403,
          "INSUFFICIENT_SCOPE",
          "Forbidden",
          `This request needs a token with the "${options.scope}" scope; this token has ${token.scopes.join(", ") || "none"}. Create a token with ${options.scope} access in Settings > API.`,
          { headers: { "WWW-Authenticate": `${REALM}, error="insufficient_scope", scope="${options.scope}"` } },
        );
      }

      let request = args.request;
      let body: Buffer = Buffer.alloc(0);
      if (method === "POST") {
        body = await readBodyLimited(args.request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
        request = new Request(args.request.url, { method, headers: args.request.headers, body: new Uint8Array(body) });
      }
      const url = new URL(request.url);
      const contentType = request.headers.get("content-type") ?? "";
      const ctx: ApiContext = {
        request,
        url,
        params: args.params,
        shop: token.shop,
        token,
        requestId,
        json() {
          if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
            throw new ApiProblem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", 'Send a JSON body with "Content-Type: application/json".');
          }
          try {
            return JSON.parse(body.toString("utf8"));
          } catch (error) {
            throw new ApiProblem(400, "INVALID_JSON", "Invalid JSON", `The body is not valid JSON (${(error as Error).message}).`);
          }
        },
      };

      const key = method === "POST" ? request.headers.get(IDEMPOTENCY_HEADER) : null;
      if (key === null) return handler(ctx);
      if (!isValidIdempotencyKey(key)) {
        throw new ApiProblem(400, "INVALID_IDEMPOTENCY_KEY", "Invalid Idempotency-Key", "An Idempotency-Key is 1 to 255 visible ASCII characters, e.g. a UUID.", {
          fieldErrors: { "Idempotency-Key": "1-255 visible ASCII characters" },
        });
      }
      const { idempotency } = apiConfig();
      const start = await beginIdempotentRequest(
        db,
        {
          shopId: token.shop.id,
          tokenId: token.id,
          key,
          method,
          route: options.route,
          requestHash: await requestFingerprint(method, url, contentType, body),
        },
        { now: createdAt, ttlMs: idempotency.ttlMs, inFlightTimeoutMs: idempotency.inFlightTimeoutMs },
      );
      if (start.kind === "replay") {
        const headers = new Headers(start.response.headers);
        headers.set("Idempotent-Replayed", "true");
        return new Response(start.response.body || null, { status: start.response.status, headers });
      }
      if (start.kind === "mismatch") {
        throw new ApiProblem(
          422,
          "IDEMPOTENCY_KEY_REUSED",
          "Idempotency-Key reused",
          "This Idempotency-Key was already used for a different request (method, path or body). Use a new key for a new request.",
        );
      }
      if (start.kind === "in_flight") {
        throw new ApiProblem(
          409,
          "IDEMPOTENCY_KEY_IN_USE",
          "Request in progress",
          "A request with this Idempotency-Key is still being processed. Wait for it to finish, then retry to get its response.",
          { headers: { "Retry-After": "1" } },
        );
      }
      let response: Response;
      try {
        response = await handler(ctx);
      } catch (error) {
        response = problemFromError(error, requestId);
      }
      await finishIdempotentRequest(db, start.recordId, response);
      return response;
    };

    let response: Response;
    try {
      response = await run();
    } catch (error) {
      response = problemFromError(error, requestId);
    }
    if (response.status >= 400 && !response.headers.get("content-type")?.includes("problem+json")) {
      // A handler answered an error without a problem document: give it one.
      response = problemResponse({ status: response.status, code: "ERROR", title: response.statusText || "Error", detail: await response.text(), request_id: requestId });
    }
    response = withHeaders(response, extra);

    if (logFor) {
      const entry = logFor as { shopId: string; tokenId: string };
      await writeRequestLog(db, {
        id: requestId,
        shopId: entry.shopId,
        tokenId: entry.tokenId,
        method: args.request.method.toUpperCase(),
        route: options.route,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
        ip,
        userAgent: args.request.headers.get("user-agent"),
        createdAt,
      }, apiConfig().logFlushMs).catch((error) => console.error("[api] request log write failed", error));
    }
    return response;
  };
  return Object.assign(handle, { api: options });
}

/** `{ data }`-style JSON response helper for handlers. */
export function json(data: unknown, init: ResponseInit = {}): Response {
  return Response.json(data, init);
}
