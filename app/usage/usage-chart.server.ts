// Credits spent per day by model (debits less their refunds, on the day of the debit), for the
// Usage page's chart. Days are UTC, like a token's daily cap.
import type { Db } from "~/db.server";

export type UsageDay = { day: string; byModel: Record<string, number> };

const DAY_MS = 86_400_000;

export async function creditsPerDay(db: Db, input: { shopId: string; since: Date; until: Date }): Promise<{ days: UsageDay[]; models: string[] }> {
  const rows = await db.$queryRaw<Array<{ day: string; model: string | null; spent: number }>>`
    SELECT to_char(date_trunc('day', d."createdAt"), 'YYYY-MM-DD') AS day, d.model,
           SUM(-d.amount - COALESCE(r.amount, 0))::int AS spent
      FROM "CreditEntry" d LEFT JOIN "CreditEntry" r ON r.key = 'refund:' || d."generationId"
     WHERE d."shopId" = ${input.shopId} AND d.kind = 'debit' AND d."createdAt" >= ${input.since} AND d."createdAt" < ${input.until}
     GROUP BY 1, 2
     ORDER BY 1`;
  const models = [...new Set(rows.map((row) => row.model ?? "other"))].sort();
  const days: UsageDay[] = [];
  for (let t = Math.floor(input.since.getTime() / DAY_MS) * DAY_MS; t < input.until.getTime(); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const byModel: Record<string, number> = {};
    for (const row of rows) if (row.day === day && row.spent > 0) byModel[row.model ?? "other"] = row.spent;
    days.push({ day, byModel });
  }
  return { days, models };
}
