// What the Usage page shows: one page of the ledger (filtered by kind, model and days), the
// chart of credits spent per day by model over the same days (the last 30 by default), and the
// totals of that range. The CSV export takes the same filters (usageFilters).
import type { Db } from "~/db.server";
import type { CreditKind } from "~/generated/prisma/client";
import { IMAGE_MODELS } from "~/generation/models";

import { CREDIT_KINDS, listUsage, usageWhere, type UsageFilters } from "./list-usage.server";
import { creditsPerDay } from "./usage-chart.server";

const DAY_MS = 86_400_000;
export const CHART_DAYS = 30;

/** The page's query string: kind, model, from / to (YYYY-MM-DD, UTC, both inclusive), cursor. */
export type UsageQuery = { kind?: string; model?: string; from?: string; to?: string; cursor?: string };

const day = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? new Date(`${value}T00:00:00Z`) : null);

/** The query as ledger filters; anything unknown is ignored (links may carry anything). */
export function usageFilters(query: UsageQuery): UsageFilters {
  const to = day(query.to);
  return {
    kind: (CREDIT_KINDS as readonly string[]).includes(query.kind ?? "") ? (query.kind as CreditKind) : null,
    model: query.model && Object.hasOwn(IMAGE_MODELS, query.model) ? query.model : null,
    since: day(query.from),
    until: to ? new Date(to.getTime() + DAY_MS) : null,
  };
}

export async function usagePage(db: Db, shopId: string, query: UsageQuery, now = new Date()) {
  const filters = usageFilters(query);
  const until = filters.until ?? new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  const since = filters.since ?? new Date(until.getTime() - CHART_DAYS * DAY_MS);
  const [page, chart, sums] = await Promise.all([
    listUsage(db, { shopId, ...filters, cursor: query.cursor }),
    creditsPerDay(db, { shopId, since, until }),
    db.creditEntry.groupBy({ by: ["kind"], where: usageWhere(shopId, { ...filters, since, until }), _sum: { amount: true } }),
  ]);
  const total = (kind: CreditKind) => Math.abs(sums.find((s) => s.kind === kind)?._sum.amount ?? 0);
  return {
    entries: page.entries.map((e) => ({
      id: e.id,
      kind: e.kind,
      amount: e.amount,
      balanceAfter: e.balanceAfter,
      reason: e.reason,
      model: e.model,
      viaApi: e.tokenId !== null,
      createdAt: e.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
    chart: { ...chart, labels: Object.fromEntries(chart.models.map((id) => [id, IMAGE_MODELS[id as keyof typeof IMAGE_MODELS]?.label ?? id])) },
    range: { from: since.toISOString().slice(0, 10), to: new Date(until.getTime() - DAY_MS).toISOString().slice(0, 10) },
    totals: { granted: total("grant"), spent: total("debit"), refunded: total("refund"), expired: total("expire") },
    kinds: [...CREDIT_KINDS],
    models: Object.values(IMAGE_MODELS).map((m) => ({ id: m.id, label: m.label })),
  };
}

export type UsagePageData = Awaited<ReturnType<typeof usagePage>>;
