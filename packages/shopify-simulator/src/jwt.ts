// HS256 JSON Web Tokens: Shopify's session tokens (App Bridge "ID tokens") are signed with the
// app's client secret. Small and dependency-free on purpose.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  sig?: string;
  [claim: string]: unknown;
}

const b64url = (input: Buffer | string) => Buffer.from(input).toString("base64url");

export function signHs256(payload: Record<string, unknown>, secret: string): string {
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const signature = createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${signature}`;
}

export type VerifyResult = { ok: true; claims: SessionTokenClaims } | { ok: false; reason: string };

/** Verifies signature, alg, exp and nbf (with `leewaySeconds` of clock skew). */
export function verifyHs256(token: string, secret: string, nowSeconds: number, leewaySeconds = 10): VerifyResult {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWT" };
  const [header = "", body = "", signature = ""] = parts;
  let headerJson: { alg?: unknown };
  let claims: SessionTokenClaims;
  try {
    headerJson = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: unknown };
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as SessionTokenClaims;
  } catch {
    return { ok: false, reason: "malformed JWT" };
  }
  if (headerJson.alg !== "HS256") return { ok: false, reason: "unsupported alg" };
  const expected = createHmac("sha256", secret).update(`${header}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "signature verification failed" };
  if (typeof claims.exp !== "number" || claims.exp + leewaySeconds < nowSeconds) return { ok: false, reason: "token expired" };
  if (typeof claims.nbf === "number" && claims.nbf - leewaySeconds > nowSeconds) return { ok: false, reason: "token not yet valid" };
  return { ok: true, claims };
}

export interface MintSessionTokenOptions {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId: number | string;
  /** Seconds; Shopify's session tokens live one minute. */
  ttlSeconds?: number;
  nowSeconds?: number;
  sessionId?: string;
}

/** A session token with the claims Shopify puts in one. */
export function mintSessionToken(options: MintSessionTokenOptions): { token: string; claims: SessionTokenClaims } {
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: String(options.userId),
    exp: now + (options.ttlSeconds ?? 60),
    nbf: now,
    iat: now,
    jti: randomUUID(),
    sid: options.sessionId ?? randomBytes(16).toString("hex"),
    sig: randomBytes(32).toString("hex"),
  };
  return { token: signHs256(claims, options.apiSecret), claims };
}
