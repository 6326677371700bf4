// The public API's one wrapper. A route file serves an endpoint of the contract (app/api/contract):
//   export const loader = apiRoute(endpoints.getAsset, async ({ params, shop, respond }) => ...)
// and the handler only makes one domain call and responds. Everything else happens here, in this
// order:
//   method -> client IP's failed-authentication budget (before any query) -> bearer token
//   (shape/checksum before any query) -> rate limits (token, then shop) -> scope
//   -> body (size-limited) -> Idempotency-Key (POST) -> input parsed with the endpoint's schemas
//   -> handler -> problem+json on errors -> headers (Request-Id, RateLimit-*) -> request log.
// The handler gets only the parsed input (no Request, no URL), so it cannot read a field the
// document does not list.
import { randomUUID } from "node:crypto";

import { db } from "~/db.server";
import { hasScope, type TokenScope } from "~/tokens/scopes";
import { TOKEN_REALM as REALM, TokenAuthError, verifyApiToken, type AuthenticatedToken } from "~/tokens/verify-token.server";

import { DEFAULT_MAX_BODY_BYTES, readBodyLimited } from "./body.server";
import { clientIp } from "./client-ip.server";
import { apiConfig, apiRateLimiter } from "./config.server";
import { type Endpoint, type ParsedInput, type Responder, responder, routePatternOf } from "./contract/endpoint";
import {
  beginIdempotentRequest,
  finishIdempotentRequest,
  IDEMPOTENCY_HEADER,
  isValidIdempotencyKey,
  requestFingerprint,
} from "./idempotency.server";
import { parseInput } from "./parse.server";
import { ApiProblem, problemFromError, problemResponse } from "./problem.server";
import type { RateLimitDecision } from "./rate-limit.server";
import { writeRequestLog } from "./request-log.server";

export type ApiRouteOptions = {
  method: Endpoint["method"];
  scope: TokenScope;
  /** The route pattern as Remix matches it, e.g. "/api/v1/assets/:id" (logged instead of the path). */
  route: string;
  /** Largest accepted request body (POST). */
  maxBodyBytes: number;
};

export type ApiContext<E extends Endpoint = Endpoint> = ParsedInput<E> & {
  shop: { id: string; domain: string };
  token: Pick<AuthenticatedToken, "id" | "name" | "scopes" | "expiresAt" | "dailyCreditCap">;
  requestId: string;
  /**
   * With an Idempotency-Key: the key's record id, the same for every retry of the request (also
   * after a crash between the work and the stored response). A handler that creates something
   * derives its id from it, so a retry finds what the first attempt made instead of making it again.
   */
  idempotencyId?: string;
  /** A documented success response of this endpoint, with the body its schema describes. */
  respond: Responder<E["responses"]>;
};

export type RouteArgs = { request: Request; params: Record<string, string | undefined>; context?: unknown };
/** A route export, carrying the endpoint whose schemas parse its requests (tests compare them with the document). */
export type ApiHandler<E extends Endpoint = Endpoint> = ((args: RouteArgs) => Promise<Response>) & {
  readonly api: ApiRouteOptions | null;
  readonly endpoint: E;
};

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

const rateLimited = (detail: string) => new ApiProblem(429, "RATE_LIMITED", "Too many requests", detail);
const perWindow = (rule: { limit: number; windowMs: number }) => `${rule.limit} requests per ${Math.round(rule.windowMs / 1000)} seconds`;

/** Copies a response with extra headers (Remix/undici responses may have immutable headers). */
function withHeaders(response: Response, extra: Headers): Response {
  const headers = new Headers(response.headers);
  extra.forEach((value, name) => headers.set(name, value));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function declare(endpoint: Endpoint): string {
  const route = routePatternOf(endpoint);
  const methods = declared.get(route) ?? new Set<string>();
  methods.add(endpoint.method);
  declared.set(route, methods);
  return route;
}

export function apiRoute<E extends Endpoint>(endpoint: E, handler: (ctx: ApiContext<E>) => Promise<Response>): ApiHandler<E> {
  if (!endpoint.scope) throw new Error(`${endpoint.operationId} needs no token: serve it with publicRoute`);
  const options: ApiRouteOptions = {
    method: endpoint.method,
    scope: endpoint.scope,
    route: declare(endpoint),
    maxBodyBytes: endpoint.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };
  const respond = responder(endpoint) as Responder<E["responses"]>;

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

      // An IP that keeps presenting bad, revoked or expired tokens is refused before any lookup,
      // and without a log row: random or dead tokens cannot flood the database or the log.
      const { rateLimit, shopRateLimit, authFailureLimit } = apiConfig();
      const failureKey = ip ? `authfail:${ip}` : null;
      if (failureKey) {
        const gate = await apiRateLimiter().peek(failureKey, authFailureLimit);
        if (!gate.allowed) {
          rateLimitHeaders(extra, gate, authFailureLimit.windowMs);
          throw rateLimited(
            `Too many requests with invalid, revoked or expired tokens came from this address. Fix the token (Settings > API), then retry in ${gate.retryAfterSeconds} s (Retry-After).`,
          );
        }
      }

      let token: AuthenticatedToken;
      try {
        token = await verifyApiToken(db, bearerToken(args.request), { now: createdAt, ip });
      } catch (error) {
        if (error instanceof TokenAuthError) {
          if (error.known) logFor = { shopId: error.known.shopId, tokenId: error.known.tokenId };
        }
        if (failureKey && (error instanceof TokenAuthError || error instanceof ApiProblem)) await apiRateLimiter().hit(failureKey, authFailureLimit);
        throw error;
      }
      logFor = { shopId: token.shop.id, tokenId: token.id };

      const decision = await apiRateLimiter().hit(token.id, rateLimit);
      if (!decision.allowed) {
        rateLimitHeaders(extra, decision, rateLimit.windowMs);
        throw rateLimited(`This token may make ${perWindow(rateLimit)}. Wait ${decision.retryAfterSeconds} s (Retry-After) and slow down.`);
      }
      // All of the shop's tokens together: 50 tokens must not mean 50 times the budget.
      const shopDecision = await apiRateLimiter().hit(`shop:${token.shop.id}`, shopRateLimit);
      const tighter = shopDecision.remaining < decision.remaining || !shopDecision.allowed;
      rateLimitHeaders(extra, tighter ? shopDecision : decision, tighter ? shopRateLimit.windowMs : rateLimit.windowMs);
      if (!shopDecision.allowed) {
        throw rateLimited(`This shop's tokens together may make ${perWindow(shopRateLimit)}. Wait ${shopDecision.retryAfterSeconds} s (Retry-After) and slow down.`);
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
        body = await readBodyLimited(args.request, options.maxBodyBytes);
        request = new Request(args.request.url, { method, headers: args.request.headers, body: new Uint8Array(body) });
      }
      const url = new URL(request.url);
      const contentType = request.headers.get("content-type") ?? "";
      const invoke = async (idempotencyId?: string) =>
        handler({ ...(await parseInput(endpoint, { params: args.params, request, body })), shop: token.shop, token, requestId, idempotencyId, respond });

      const key = method === "POST" ? request.headers.get(IDEMPOTENCY_HEADER) : null;
      if (key === null) return invoke();
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
        response = await invoke(start.recordId);
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
  return Object.assign(handle, { api: options, endpoint });
}

/** An endpoint anyone may call (no token, no rate limit, no log): the document itself. */
export function publicRoute<E extends Endpoint>(
  endpoint: E,
  handler: (ctx: ParsedInput<E> & { respond: Responder<E["responses"]> }) => Response | Promise<Response>,
): ApiHandler<E> {
  if (endpoint.scope) throw new Error(`${endpoint.operationId} needs a token: serve it with apiRoute`);
  declare(endpoint);
  const respond = responder(endpoint) as Responder<E["responses"]>;
  const handle = async (args: RouteArgs): Promise<Response> => {
    const requestId = newRequestId();
    let response: Response;
    try {
      response = await handler({ ...(await parseInput(endpoint, { params: args.params, request: args.request, body: Buffer.alloc(0) })), respond });
    } catch (error) {
      response = problemFromError(error, requestId);
    }
    return withHeaders(response, new Headers({ "Request-Id": requestId }));
  };
  return Object.assign(handle, { api: null, endpoint });
}

