// Credit movements. Each is one transaction: a conditional balance update plus an append-only
// ledger entry with a unique key, so concurrent debits never spend the same credit and a
// refund happens at most once. The balance always equals the ledger's sum.
import { invalidateShop, registerHotCache } from "~/cache/hot-cache.server";
import type { Db, DbTx } from "~/db.server";

import { DailyCreditCapError, InsufficientCreditsError } from "./errors";

type Client = Db | DbTx;

/** The API token spending (its id), and the most it may spend per UTC day (null: no cap). */
export type Spender = { id: string; dailyCreditCap: number | null };

/**
 * Runs `work` in a transaction (or the caller's), then drops the shop's cached balance. When the
 * caller owns the transaction the drop happens before its commit, so a read in between may cache
 * the old value again: the cache's 1 s lifetime bounds that.
 */
export async function inTransaction<T>(db: Client, shopId: string, work: (tx: DbTx) => Promise<T>): Promise<T> {
  try {
    return "$transaction" in db ? await db.$transaction(work) : await work(db);
  } finally {
    await invalidateShop(shopId);
  }
}

/** Short-lived cache for reads that show the balance (GET /api/v1/me); debits never read it. */
const balanceCache = registerHotCache<{ shopId: string; balance: number }>(1_000);

const DAY_MS = 86_400_000;

/**
 * Refuses (DailyCreditCapError) a debit that would take the token past its daily cap. The token's
 * row is locked first, so concurrent requests of one token are counted one after the other. A
 * refunded debit gives its credits back to the day it was spent on.
 */
async function assertWithinDailyCap(tx: DbTx, spender: Spender & { dailyCreditCap: number }, amount: number, now: Date) {
  await tx.$queryRaw`SELECT id FROM "ApiToken" WHERE id = ${spender.id} FOR UPDATE`;
  const dayStart = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const rows = await tx.$queryRaw<Array<{ spent: number }>>`
    SELECT COALESCE(SUM(-d.amount - COALESCE(r.amount, 0)), 0)::int AS spent
      FROM "CreditEntry" d LEFT JOIN "CreditEntry" r ON r.key = 'refund:' || d."generationId"
     WHERE d."tokenId" = ${spender.id} AND d.kind = 'debit' AND d."createdAt" >= ${dayStart}`;
  const spent = rows[0]?.spent ?? 0;
  if (spent + amount > spender.dailyCreditCap) {
    throw new DailyCreditCapError(spender.dailyCreditCap, spent, amount, new Date(dayStart.getTime() + DAY_MS), now);
  }
}

/**
 * Takes `amount` credits for `generationId`, the current plan cycle's included credits first.
 * Throws InsufficientCreditsError (or, for an API token with a cap, DailyCreditCapError) and
 * changes nothing when it cannot. Pass a transaction to commit the debit together with the work
 * it pays for.
 */
export async function debitCredits(
  db: Client,
  input: { shopId: string; amount: number; generationId: string; reason: string; model?: string; spender?: Spender; now?: Date },
): Promise<number> {
  return inTransaction(db, input.shopId, async (tx) => {
    const { spender } = input;
    if (spender && spender.dailyCreditCap !== null) {
      await assertWithinDailyCap(tx, { ...spender, dailyCreditCap: spender.dailyCreditCap }, input.amount, input.now ?? new Date());
    }
    const rows = await tx.$queryRaw<Array<{ creditBalance: number }>>`
      UPDATE "Shop" SET "creditBalance" = "creditBalance" - ${input.amount},
             "includedCredits" = GREATEST("includedCredits" - ${input.amount}, 0), "updatedAt" = now()
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
        model: input.model ?? null,
        tokenId: spender?.id ?? null,
      },
      // Nothing of it is read back: the same INSERT, without mapping the row (generation hot path).
      select: { id: true },
    });
    return balance;
  });
}

type CreditInput = {
  shopId: string;
  amount: number;
  key: string;
  kind: "grant" | "refund";
  reason: string;
  generationId?: string;
  model?: string | null;
  tokenId?: string | null;
};

/**
 * Adds credits once per `key` (grants: trial, pack purchase; refunds). Refunds come back as
 * credits that do not expire, even when the debit took included plan credits (ADR 0061).
 */
async function credit(db: Client, input: CreditInput): Promise<boolean> {
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
          model: input.model ?? null,
          tokenId: input.tokenId ?? null,
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
    model: debit.model,
    tokenId: debit.tokenId,
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
  return db.creditEntry.findMany({ where: { shopId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
}
