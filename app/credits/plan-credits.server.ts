// A plan's included credits: granted once per paid cycle, spent before any other credits, and
// what is left expires when the cycle ends (packs, the trial and refunds never expire). The shop
// row holds the cycle's part of the balance (includedCredits <= creditBalance), which grant and
// expiry change in the same transaction as their ledger entry. See ADR 0061.
import type { Db, DbTx } from "~/db.server";

import { inTransaction } from "./ledger.server";

type Client = Db | DbTx;

type Cycle = { includedCredits: number; includedCreditsGrantKey: string | null; includedCreditsExpireAt: Date | null };

async function lockCycle(tx: DbTx, shopId: string): Promise<Cycle | undefined> {
  const rows = await tx.$queryRaw<Cycle[]>`
    SELECT "includedCredits", "includedCreditsGrantKey", "includedCreditsExpireAt" FROM "Shop" WHERE id = ${shopId} FOR UPDATE`;
  return rows[0];
}

/** Takes what is left of the current cycle out of the balance (one "expire" entry per cycle). */
async function expireCycle(tx: DbTx, shopId: string, cycle: Cycle): Promise<number> {
  if (!cycle.includedCreditsGrantKey) return 0;
  const left = cycle.includedCredits;
  const shop = await tx.shop.update({
    where: { id: shopId },
    data: { creditBalance: { decrement: left }, includedCredits: 0, includedCreditsGrantKey: null, includedCreditsExpireAt: null },
    select: { creditBalance: true },
  });
  if (left > 0) {
    await tx.creditEntry.createMany({
      data: [
        {
          shopId,
          kind: "expire",
          amount: -left,
          balanceAfter: shop.creditBalance,
          key: `expire:${cycle.includedCreditsGrantKey}`,
          reason: "Unused plan credits expired at the end of the cycle",
        },
      ],
      skipDuplicates: true,
    });
  }
  return left;
}

/**
 * Starts a plan cycle: grants `credits` once per `key` (Shopify's charge id and the period, see
 * app/billing/cycle-key.ts) as the new included credits, ending what was left of the previous
 * cycle. Returns false (and changes nothing) when this cycle was granted before.
 */
export async function startPlanCycle(
  db: Client,
  input: { shopId: string; key: string; credits: number; expiresAt: Date; reason: string },
): Promise<boolean> {
  return inTransaction(db, input.shopId, async (tx) => {
    // The shop row's lock orders concurrent grants: the second sees the first's entry and stops.
    const cycle = await lockCycle(tx, input.shopId);
    if (!cycle || (await tx.creditEntry.findUnique({ where: { key: input.key }, select: { id: true } }))) return false;
    await expireCycle(tx, input.shopId, cycle);
    const inserted = await tx.creditEntry.createMany({
      data: [{ shopId: input.shopId, kind: "grant", amount: input.credits, balanceAfter: 0, key: input.key, reason: input.reason }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) throw new Error(`Plan grant ${input.key} appeared during its own transaction`);
    const shop = await tx.shop.update({
      where: { id: input.shopId },
      data: {
        creditBalance: { increment: input.credits },
        includedCredits: input.credits,
        includedCreditsGrantKey: input.key,
        includedCreditsExpireAt: input.expiresAt,
      },
      select: { creditBalance: true },
    });
    await tx.creditEntry.update({ where: { key: input.key }, data: { balanceAfter: shop.creditBalance } });
    return true;
  });
}

/** Ends the current cycle's included credits if their time is up. Returns how many expired. */
export async function expirePlanCredits(db: Client, input: { shopId: string; now?: Date }): Promise<number> {
  const now = input.now ?? new Date();
  return inTransaction(db, input.shopId, async (tx) => {
    const cycle = await lockCycle(tx, input.shopId);
    if (!cycle?.includedCreditsExpireAt || cycle.includedCreditsExpireAt.getTime() > now.getTime()) return 0;
    return expireCycle(tx, input.shopId, cycle);
  });
}
