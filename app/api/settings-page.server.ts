// What Settings > API shows: the shop's tokens, the webhook signing secret and one page of the
// request log (filtered by status class and route). One call for the page's loader.
import type { Db } from "~/db.server";
import { env } from "~/env.server";
import { listApiTokens } from "~/tokens/list-tokens.server";

import { listRequestLogs, loggedRoutes, STATUS_CLASSES, type StatusClass } from "./request-log.server";
import { webhookSecretState } from "./webhooks/signing.server";

/** Days until a new token expires (no "never": every token expires within MAX_TOKEN_LIFETIME_DAYS). */
export const EXPIRY_CHOICES = ["7", "30", "90", "365"] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

export type LogRow = {
  id: string;
  createdAt: string;
  method: string;
  route: string;
  status: number;
  durationMs: number;
  ip: string | null;
  userAgent: string | null;
  tokenName: string | null;
};

export async function apiSettingsPage(db: Db, shopId: string, filters: { status?: string | null; route?: string | null; before?: string | null }) {
  const statusClass = STATUS_CLASSES.find((c) => c === filters.status) ?? null;
  const [tokens, logs, routes, webhook] = await Promise.all([
    listApiTokens(db, shopId),
    listRequestLogs(db, { shopId, statusClass: statusClass as StatusClass | null, route: filters.route || null, before: filters.before, limit: 50 }),
    loggedRoutes(db, shopId),
    webhookSecretState(db, shopId),
  ]);
  const names = new Map(tokens.map((t) => [t.id, t.name]));
  const rows: LogRow[] = logs.entries.map((entry) => ({
    id: entry.id,
    createdAt: entry.createdAt.toISOString(),
    method: entry.method,
    route: entry.route,
    status: entry.status,
    durationMs: entry.durationMs,
    ip: entry.ip,
    userAgent: entry.userAgent,
    tokenName: entry.tokenId ? (names.get(entry.tokenId) ?? null) : null,
  }));
  return {
    tokens,
    logs: rows,
    nextBefore: logs.nextBefore,
    routes,
    filters: { status: statusClass, route: filters.route || null },
    webhookSecret: webhook.secrets[0]!,
    webhookSecretRotatedAt: webhook.rotatedAt?.toISOString() ?? null,
    previousWebhookSecretValidUntil: webhook.previousValidUntil?.toISOString() ?? null,
    apiBaseUrl: `${env().appUrl.replace(/\/+$/, "")}/api/v1`,
  };
}
