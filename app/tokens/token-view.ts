import type { ApiToken } from "~/generated/prisma/client";

export type TokenStatus = "active" | "expired" | "revoked";

/** What the Settings page (and nothing else) shows about a token: never its hash. */
export type TokenView = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  status: TokenStatus;
  createdAt: string;
  expiresAt: string | null;
  dailyCreditCap: number | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
};

export function tokenStatus(token: Pick<ApiToken, "revokedAt" | "expiresAt">, now = new Date()): TokenStatus {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

export function tokenView(token: ApiToken, now = new Date()): TokenView {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    scopes: token.scopes,
    status: tokenStatus(token, now),
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    dailyCreditCap: token.dailyCreditCap,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: token.lastUsedIp,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}
