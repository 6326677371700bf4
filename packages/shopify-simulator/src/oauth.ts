// POST /admin/oauth/access_token: token exchange (session token -> access token) and the
// refresh_token grant for expiring offline tokens, answered the way Shopify documents them.
//
//   offline, expiring=1: { access_token, scope, expires_in: 3600, refresh_token, refresh_token_expires_in }
//   offline, expiring=0: { access_token, scope }
//   online:              { access_token, scope, expires_in, associated_user_scope, associated_user: {...} }
// Errors are OAuth-style JSON: { error, error_description } with 400 (401 for invalid_client).
import type { HttpResult, SimContext } from "./context.ts";
import { verifyHs256 } from "./jwt.ts";
import { normalizeShopDomain, token } from "./state.ts";
import type { AccessTokenRecord, RefreshTokenRecord, SimShop } from "./state.ts";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

/** Refresh tokens that were exchanged can be retried for at most this long (Shopify: 30 days). */
const RETRY_WINDOW_MS = 30 * 24 * 3600 * 1000;

const oauthError = (status: number, error: string, description: string): HttpResult => ({
  status,
  body: { error, error_description: description },
});

export function handleAccessTokenRequest(ctx: SimContext, shopDomain: string, params: Record<string, string>): HttpResult {
  const { state, options } = ctx;
  const shop = state.shop(shopDomain);
  if (!shop) return { status: 404, body: { errors: "Not Found" } };
  if (params.client_id !== options.apiKey || params.client_secret !== options.apiSecret) {
    state.counters.tokenErrors++;
    return oauthError(401, "invalid_client", "Client authentication failed: unknown client_id or wrong client_secret.");
  }
  const grant = params.grant_type;
  if (grant === TOKEN_EXCHANGE_GRANT) return tokenExchange(ctx, shop, params);
  if (grant === "refresh_token") return refresh(ctx, shop, params);
  state.counters.tokenErrors++;
  if (!grant) return oauthError(400, "invalid_request", "The grant_type parameter is missing.");
  return oauthError(400, "unsupported_grant_type", `The grant type '${grant}' is not supported.`);
}

function tokenExchange(ctx: SimContext, shop: SimShop, params: Record<string, string>): HttpResult {
  const { state, options } = ctx;
  const fail = (error: string, description: string) => {
    state.counters.tokenErrors++;
    return oauthError(400, error, description);
  };
  if (!params.subject_token) return fail("invalid_request", "The subject_token parameter is missing.");
  if (params.subject_token_type !== ID_TOKEN_TYPE) {
    return fail("invalid_request", `subject_token_type must be ${ID_TOKEN_TYPE}.`);
  }
  const requested = params.requested_token_type ?? OFFLINE_TOKEN_TYPE;
  if (requested !== OFFLINE_TOKEN_TYPE && requested !== ONLINE_TOKEN_TYPE) {
    return fail("invalid_request", `requested_token_type must be ${OFFLINE_TOKEN_TYPE} or ${ONLINE_TOKEN_TYPE}.`);
  }
  const verified = verifyHs256(params.subject_token, options.apiSecret, Math.floor(ctx.now() / 1000), 5);
  if (!verified.ok) return fail("invalid_subject_token", `The session token is invalid: ${verified.reason}.`);
  const claims = verified.claims;
  if (claims.aud !== options.apiKey) return fail("invalid_subject_token", "The session token was issued for a different app.");
  const dest = typeof claims.dest === "string" ? normalizeShopDomain(claims.dest) : "";
  if (dest !== shop.domain) return fail("invalid_subject_token", "The session token was issued for a different shop.");

  // Opening an embedded app installs it (Shopify managed installation).
  if (!shop.installed) {
    shop.installed = true;
    shop.grantedScopes = [...options.scopes];
  }
  state.counters.tokenExchanges++;
  const scope = shop.grantedScopes.join(",");

  if (requested === ONLINE_TOKEN_TYPE) {
    const userId = Number(claims.sub) || shop.ownerUserId;
    const record: AccessTokenRecord = {
      token: token("shpua_"),
      shop: shop.domain,
      kind: "online",
      scopes: [...shop.grantedScopes],
      expiresAt: ctx.now() + options.onlineTokenTtlSeconds * 1000,
      userId,
      revoked: false,
      refreshToken: null,
    };
    state.accessTokens.set(record.token, record);
    const [firstName, ...rest] = shop.ownerName.split(" ");
    return {
      status: 200,
      body: {
        access_token: record.token,
        scope,
        expires_in: options.onlineTokenTtlSeconds,
        associated_user_scope: scope,
        associated_user: {
          id: userId,
          first_name: firstName ?? "",
          last_name: rest.join(" "),
          email: shop.email,
          account_owner: userId === shop.ownerUserId,
          locale: "en",
          collaborator: false,
          email_verified: true,
        },
      },
    };
  }
  const expiring = params.expiring === "1" || params.expiring === "true";
  return { status: 200, body: issueOfflineToken(ctx, shop, { expiring }) };
}

function refresh(ctx: SimContext, shop: SimShop, params: Record<string, string>): HttpResult {
  const { state, options } = ctx;
  const fail = (description: string) => {
    state.counters.tokenErrors++;
    return oauthError(400, "invalid_grant", description);
  };
  const presented = params.refresh_token;
  if (!presented) {
    state.counters.tokenErrors++;
    return oauthError(400, "invalid_request", "The refresh_token parameter is missing.");
  }
  const record = state.refreshTokens.get(presented);
  const now = ctx.now();
  if (!record || record.shop !== shop.domain) return fail("The refresh token is invalid.");
  if (record.retired) return fail("The refresh token has already been used and was rotated.");
  if (record.expiresAt <= now) return fail("The refresh token has expired.");
  if (!shop.installed) return fail("The app is not installed on this shop.");
  if (record.firstUsedAt !== null) {
    if (options.refreshTokenRetirement === "immediately" || now - record.firstUsedAt > RETRY_WINDOW_MS) {
      record.retired = true;
      return fail("The refresh token has already been used and was rotated.");
    }
    // A retry (the app lost the previous answer): the unused replacement is superseded.
    if (record.replacedBy) {
      const superseded = state.refreshTokens.get(record.replacedBy);
      if (superseded) superseded.retired = true;
    }
  } else {
    record.firstUsedAt = now;
  }
  // Using a replacement retires the token it replaced.
  if (record.replaces) {
    const previous = state.refreshTokens.get(record.replaces);
    if (previous) previous.retired = true;
  }
  if (options.refreshTokenRetirement === "immediately") record.retired = true;
  state.counters.tokenRefreshes++;
  const body = issueOfflineToken(ctx, shop, { expiring: true, refreshTokenExpiresAt: record.expiresAt, replaces: record.token });
  record.replacedBy = typeof body.refresh_token === "string" ? body.refresh_token : null;
  return { status: 200, body };
}

export interface IssueOfflineTokenOptions {
  expiring: boolean;
  /** Refresh tokens keep the lifetime of the chain they belong to. */
  refreshTokenExpiresAt?: number;
  replaces?: string;
  /** Use this exact access token string (seeded tokens for benchmarks and demos). */
  accessToken?: string;
}

/** Issues an offline access token (and, when expiring, a refresh token) for an installed shop. */
export function issueOfflineToken(ctx: SimContext, shop: SimShop, issue: IssueOfflineTokenOptions): Record<string, unknown> {
  const { state, options } = ctx;
  const now = ctx.now();
  if (!shop.installed) {
    shop.installed = true;
    shop.grantedScopes = [...options.scopes];
  }
  const access: AccessTokenRecord = {
    token: issue.accessToken ?? token("shpat_"),
    shop: shop.domain,
    kind: "offline",
    scopes: [...shop.grantedScopes],
    expiresAt: issue.expiring ? now + options.accessTokenTtlSeconds * 1000 : null,
    userId: null,
    revoked: false,
    refreshToken: null,
  };
  const scope = shop.grantedScopes.join(",");
  if (!issue.expiring) {
    state.accessTokens.set(access.token, access);
    return { access_token: access.token, scope };
  }
  const refreshExpiresAt = issue.refreshTokenExpiresAt ?? now + options.refreshTokenTtlSeconds * 1000;
  const refreshRecord: RefreshTokenRecord = {
    token: token("shprt_"),
    shop: shop.domain,
    scopes: [...shop.grantedScopes],
    expiresAt: refreshExpiresAt,
    firstUsedAt: null,
    replacedBy: null,
    replaces: issue.replaces ?? null,
    retired: false,
  };
  access.refreshToken = refreshRecord.token;
  state.accessTokens.set(access.token, access);
  state.refreshTokens.set(refreshRecord.token, refreshRecord);
  return {
    access_token: access.token,
    scope,
    expires_in: options.accessTokenTtlSeconds,
    refresh_token: refreshRecord.token,
    refresh_token_expires_in: Math.max(0, Math.floor((refreshExpiresAt - now) / 1000)),
  };
}

/** The access token of a request, if valid for `shop` right now. */
export function authenticateAccessToken(ctx: SimContext, shop: SimShop, presented: string | undefined): AccessTokenRecord | null {
  if (!presented) return null;
  const record = ctx.state.accessTokens.get(presented);
  if (!record || record.revoked || record.shop !== shop.domain || !shop.installed) return null;
  if (record.expiresAt !== null && record.expiresAt <= ctx.now()) return null;
  return record;
}

/** Uninstall: every token of the shop stops working. */
export function revokeShopTokens(ctx: SimContext, shop: SimShop): void {
  for (const record of ctx.state.accessTokens.values()) if (record.shop === shop.domain) record.revoked = true;
  for (const record of ctx.state.refreshTokens.values()) if (record.shop === shop.domain) record.retired = true;
}

/** Body of POST /admin/oauth/access_token: JSON or form-encoded. */
export function parseTokenRequestBody(raw: string, contentType: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("json") || raw.trim().startsWith("{")) {
    try {
      const json = JSON.parse(raw) as Record<string, unknown>;
      for (const [key, value] of Object.entries(json)) if (value !== null && value !== undefined) out[key] = String(value);
      return out;
    } catch {
      return out;
    }
  }
  for (const [key, value] of new URLSearchParams(raw)) out[key] = value;
  return out;
}
