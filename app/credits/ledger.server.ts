// Credit movements. Each is one transaction: a conditional balance update plus an append-only
// ledger entry with a unique key, so concurrent debits never spend the same credit and a
// refund happens at most once. The balance always equals the ledger's sum.
import { invalidateShop, registerHotCache } from "~/cache/hot-cache.server";
import type { Db, DbTx } from "~/db.server";

import { InsufficientCreditsError } from "./errors";

type Client = Db | DbTx;

/**
 * Runs `work` in a transaction (or the caller's), then drops the shop's cached balance. When the
 * caller owns the transaction the drop happens before its commit, so a read in between may cache
 * the old value again: the cache's 1 s lifetime bounds that.
 */
async function inTransaction<T>(db: Client, shopId: string, work: (tx: DbTx) => Promise<T>): Promise<T> {
  try {
    return "$transaction" in db ? await db.$transaction(work) : await work(db);
  } finally {
    await invalidateShop(shopId);
  }
}

/** Short-lived cache for reads that show the balance (GET /api/v1/me); debits never read it. */
const balanceCache = registerHotCache<{ shopId: string; balance: number }>(1_000);

/**
 * Takes `amount` credits for `generationId`. Throws InsufficientCreditsError (and changes
 * nothing) when the balance does not cover it. Pass a transaction to commit the debit together
 * with the work it pays for.
 */
export async function debitCredits(
  db: Client,
  input: { shopId: string; amount: number; generationId: string; reason: string },
): Promise<number> {
  return inTransaction(db, input.shopId, async (tx) => {
    const rows = await tx.$queryRaw<Array<{ creditBalance: number }>>`
      UPDATE "Shop" SET "creditBalance" = "creditBalance" - ${input.amount}, "updatedAt" = now()
       WHERE id = ${input.shopId} AND "creditBalance" >= ${input.amount}
      RETURNING "creditBalance"`;
    const balance = rows[0]?.creditBalance;
    if (balance === undefined) {
      const shop = await tx.shop.findUnique({ where: { id: input.shopId }, select: { creditBalance: true } });
      throw new InsufficientCreditsError(input.amount, shop?.creditBalance ?? 0);
    }
    await tx.creditEntry.create({
      data: {
        shopId: input.shopId,
        kind: "debit",
        amount: -input.amount,
        balanceAfter: balance,
        key: `debit:${input.generationId}`,
        reason: input.reason,
        generationId: input.generationId,
      },
    });
    return balance;
  });
}

/** Adds credits once per `key` (grants: trial, plan renewal, pack purchase; refunds). */
async function credit(
  db: Client,
  input: { shopId: string; amount: number; key: string; kind: "grant" | "refund"; reason: string; generationId?: string },
): Promise<boolean> {
  return inTransaction(db, input.shopId, async (tx) => {
    const inserted = await tx.creditEntry.createMany({
      data: [
        {
          shopId: input.shopId,
          kind: input.kind,
          amount: input.amount,
          balanceAfter: 0,
          key: input.key,
          reason: input.reason,
          generationId: input.generationId ?? null,
        },
      ],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return false;
    const shop = await tx.shop.update({
      where: { id: input.shopId },
      data: { creditBalance: { increment: input.amount } },
      select: { creditBalance: true },
    });
    await tx.creditEntry.update({ where: { key: input.key }, data: { balanceAfter: shop.creditBalance } });
    return true;
  });
}

/**
 * Gives back what a generation's debit took (or `amount` of it, for a partly made generation).
 * At most once; a no-op if nothing was debited.
 */
export async function refundGeneration(
  db: Client,
  input: { generationId: string; reason: string; amount?: number },
): Promise<boolean> {
  const debit = await db.creditEntry.findUnique({ where: { key: `debit:${input.generationId}` } });
  if (!debit) return false;
  const amount = Math.min(-debit.amount, input.amount ?? -debit.amount);
  if (amount <= 0) return false;
  return credit(db, {
    shopId: debit.shopId,
    amount,
    key: `refund:${input.generationId}`,
    kind: "refund",
    reason: input.reason,
    generationId: input.generationId,
  });
}

export function grantCredits(db: Client, input: { shopId: string; amount: number; key: string; reason: string }) {
  return credit(db, { ...input, kind: "grant" });
}

export async function creditBalance(db: Client, shopId: string): Promise<number> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { creditBalance: true } });
  return shop?.creditBalance ?? 0;
}

/** The balance for display on hot paths: at most a second old, exact after this process's own writes. */
export async function displayedCreditBalance(db: Db, shopId: string): Promise<number> {
  const cached = balanceCache.get(shopId);
  if (cached) return cached.balance;
  const rows = await db.$queryRaw<Array<{ creditBalance: number }>>`SELECT "creditBalance" FROM "Shop" WHERE id = ${shopId}`;
  const balance = rows[0]?.creditBalance ?? 0;
  balanceCache.set(shopId, { shopId, balance });
  return balance;
}

export async function creditHistory(db: Client, shopId: string, take = 50) {
  return db.creditEntry.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take });
}
