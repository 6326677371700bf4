// The credit ledger as history: grants, debits, refunds and expired plan credits, newest first,
// filtered by kind, model and time, cursor-paginated (the Usage page and GET /api/v1/usage).
import type { Db } from "~/db.server";
import { afterKeyset, keysetCursor, pageSize } from "~/db/keyset";
import type { CreditKind, Prisma } from "~/generated/prisma/client";

export const USAGE_PAGE_SIZE = 50;
export const CREDIT_KINDS = ["grant", "debit", "refund", "expire"] as const satisfies readonly CreditKind[];

export type UsageFilters = {
  kind?: CreditKind | null;
  model?: string | null;
  /** Inclusive. */
  since?: Date | null;
  /** Exclusive. */
  until?: Date | null;
};

export function usageWhere(shopId: string, filters: UsageFilters): Prisma.CreditEntryWhereInput {
  return {
    shopId,
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.model ? { model: filters.model } : {}),
    ...(filters.since || filters.until
      ? { createdAt: { ...(filters.since ? { gte: filters.since } : {}), ...(filters.until ? { lt: filters.until } : {}) } }
      : {}),
  };
}

export async function listUsage(db: Db, input: { shopId: string; cursor?: string | null; limit?: number } & UsageFilters) {
  const limit = pageSize(input.limit, USAGE_PAGE_SIZE);
  const rows = await db.creditEntry.findMany({
    where: { ...usageWhere(input.shopId, input), ...(afterKeyset(input.cursor) as Prisma.CreditEntryWhereInput) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { entries: page, nextCursor: rows.length > limit ? keysetCursor(page.at(-1)) : null };
}
