// The ledger as CSV (the Usage page's export): every entry matching the filters, oldest first,
// in pages so a long history never sits in memory at once.
import type { Db } from "~/db.server";

import { usageWhere, type UsageFilters } from "./list-usage.server";

const HEADER = ["created_at", "kind", "credits", "balance_after", "reason", "model", "generation_id", "token_id"];
const BATCH = 500;

/** A CSV field: quoted when it holds a comma, quote or line break; formulas defused for spreadsheets. */
function field(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function* usageCsv(db: Db, input: { shopId: string } & UsageFilters): AsyncGenerator<string> {
  yield `${HEADER.join(",")}\r\n`;
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const rows: Awaited<ReturnType<typeof db.creditEntry.findMany>> = await db.creditEntry.findMany({
      where: {
        ...usageWhere(input.shopId, input),
        ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: BATCH,
    });
    if (rows.length === 0) return;
    yield rows
      .map((e) => [e.createdAt.toISOString(), e.kind, e.amount, e.balanceAfter, e.reason, e.model, e.generationId, e.tokenId].map(field).join(",") + "\r\n")
      .join("");
    const last = rows.at(-1)!;
    after = { createdAt: last.createdAt, id: last.id };
    if (rows.length < BATCH) return;
  }
}
