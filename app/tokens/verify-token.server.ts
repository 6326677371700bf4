// Authenticates a presented token. Order matters for cost and for what leaks:
//   1. shape + checksum (no database): typos and truncations stop here;
//   2. one indexed lookup by HMAC (under every configured pepper, for key rotation);
//   3. revoked / expired checks against the row just read (so a revoke applies at once);
//   4. last-used time and IP, written at most once a minute per token.
import { registerHotCache } from "~/cache/hot-cache.server";
import type { Db } from "~/db.server";
import { AppError } from "~/errors";

import { checkTokenShape } from "./format";
import { candidateHashes } from "./hash.server";
import type { TokenScope } from "./scopes";

export const LAST_USED_GRANULARITY_MS = 60_000;

export type TokenFailureReason = "missing" | "malformed" | "checksum" | "unknown" | "revoked" | "expired";

const MESSAGES: Record<TokenFailureReason, string> = {
  missing: 'Send your API token in the Authorization header: "Authorization: Bearer lbx_...". Create one in the app under Settings > API.',
  malformed:
    "This is not a Lightbox API token: tokens start with lbx_ and are 40 characters long. Copy it again from where you saved it when it was created.",
  checksum: "The token's checksum does not match: it was mistyped or cut short. Copy the whole token again.",
  unknown: "This token is not known: it may have been deleted with its shop, or it was never issued. Create a new one in Settings > API.",
  revoked: "This token was revoked in Settings > API. Create a new token.",
  expired: "This token has expired. Create a new token in Settings > API.",
};

const CODES: Record<TokenFailureReason, string> = {
  missing: "UNAUTHENTICATED",
  malformed: "INVALID_TOKEN",
  checksum: "INVALID_TOKEN",
  unknown: "INVALID_TOKEN",
  revoked: "TOKEN_REVOKED",
  expired: "TOKEN_EXPIRED",
};

export const TOKEN_REALM = 'Bearer realm="Lightbox API"';

/** 401 with an RFC 6750 challenge (no error code when no credentials were sent at all). */
export class TokenAuthError extends AppError {
  override name = "TokenAuthError";
  constructor(
    readonly reason: TokenFailureReason,
    /** Known for revoked and expired tokens, so the refusal can be logged for the shop. */
    readonly known?: { tokenId: string; shopId: string },
  ) {
    const message = MESSAGES[reason];
    const challenge =
      reason === "missing" ? TOKEN_REALM : `${TOKEN_REALM}, error="invalid_token", error_description="${message.replace(/["\\]/g, "'")}"`;
    super(CODES[reason], message, { status: 401, title: "Unauthorized", headers: { "WWW-Authenticate": challenge } });
  }
}

type TokenRow = {
  id: string;
  name: string;
  scopes: string[];
  hash: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  dailyCreditCap: number | null;
  shopId: string;
  shopDomain: string;
};

export type AuthenticatedToken = {
  id: string;
  name: string;
  scopes: TokenScope[];
  expiresAt: Date | null;
  /** Most credits this token may spend per UTC day (null: no cap); set at creation, never changed. */
  dailyCreditCap: number | null;
  shop: { id: string; domain: string };
};

/** Valid tokens seen recently, by hash; revoke/delete/uninstall invalidate (app/cache). */
const tokenCache = registerHotCache<TokenRow & { tokenId: string }>(5 * 60_000);

async function lookup(db: Db, hashes: string[]): Promise<TokenRow | undefined> {
  const cached = tokenCache.get(hashes[0]!);
  if (cached) return cached;
  // One indexed lookup, written as SQL (a Prisma query costs about a millisecond of CPU more;
  // see docs/decisions/0040-*).
  const rows = await db.$queryRaw<TokenRow[]>`
    SELECT t.id, t.name, t.scopes, t.hash, t."expiresAt", t."revokedAt", t."lastUsedAt", t."dailyCreditCap", t."shopId", s.domain AS "shopDomain"
      FROM "ApiToken" t JOIN "Shop" s ON s.id = t."shopId"
     WHERE t.hash = ANY(${hashes}::text[])
     LIMIT 1`;
  const row = rows[0];
  if (row && !row.revokedAt && row.hash === hashes[0]) tokenCache.set(hashes[0]!, Object.assign(row, { tokenId: row.id }));
  return row;
}

export async function verifyApiToken(
  db: Db,
  presented: string | null | undefined,
  options: { now?: Date; ip?: string | null } = {},
): Promise<AuthenticatedToken> {
  if (!presented) throw new TokenAuthError("missing");
  const shape = checkTokenShape(presented);
  if (!shape.ok) throw new TokenAuthError(shape.reason);

  const now = options.now ?? new Date();
  const hashes = candidateHashes(presented);
  if (hashes.length === 0) throw new Error("No token pepper is configured (ENCRYPTION_KEYS is empty)");
  // The hot path of every API request.
  const row = await lookup(db, hashes);
  if (!row) throw new TokenAuthError("unknown");
  const known = { tokenId: row.id, shopId: row.shopId };
  if (row.revokedAt) throw new TokenAuthError("revoked", known);
  // Every token expires; a row without an expiry (written around createApiToken) counts as expired.
  if (!row.expiresAt || row.expiresAt.getTime() <= now.getTime()) throw new TokenAuthError("expired", known);

  const stale = !row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS;
  const rehash = row.hash !== hashes[0]; // stored under an older pepper: move it to the newest
  if (stale || rehash) {
    // Conditional, so concurrent requests in the same minute write once.
    await db.apiToken.updateMany({
      where: {
        id: row.id,
        ...(rehash ? {} : { OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_GRANULARITY_MS) } }] }),
      },
      data: { lastUsedAt: now, lastUsedIp: options.ip ?? null, ...(rehash ? { hash: hashes[0] } : {}) },
    });
    row.lastUsedAt = now; // the cached row too: the next write is a minute away
  }
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as TokenScope[],
    expiresAt: row.expiresAt,
    dailyCreditCap: row.dailyCreditCap,
    shop: { id: row.shopId, domain: row.shopDomain },
  };
}
