import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { InsufficientCreditsError } from "~/credits/errors";
import { creditBalance, debitCredits, grantCredits, refundGeneration } from "~/credits/ledger.server";
import { priceOf, TRIAL_CREDITS } from "~/credits/prices";
import { db } from "~/db.server";
import { registerShop } from "~/shops/register-shop.server";

async function ledgerSum(shopId: string) {
  const { _sum } = await db.creditEntry.aggregate({ where: { shopId }, _sum: { amount: true } });
  return _sum.amount ?? 0;
}

async function shopWith(balance: number) {
  const shop = await db.shop.create({ data: { domain: `credits-${randomUUID().slice(0, 8)}.myshopify.com` } });
  if (balance) await grantCredits(db, { shopId: shop.id, amount: balance, key: `grant:${shop.id}`, reason: "test" });
  return shop;
}

describe("credits ledger", () => {
  it("gives a new shop its trial credits once, however often it registers", async () => {
    const shop = await registerShop(db, "trial-shop.myshopify.com");
    await registerShop(db, "trial-shop.myshopify.com", { name: "Again" });
    expect(await creditBalance(db, shop.id)).toBe(TRIAL_CREDITS);
    expect(await ledgerSum(shop.id)).toBe(TRIAL_CREDITS);
  });

  it("GIVEN a balance covering 7 WHEN 20 debits race THEN exactly 7 succeed and the ledger sums to the balance", async () => {
    const shop = await shopWith(7);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        debitCredits(db, { shopId: shop.id, amount: 1, generationId: randomUUID(), reason: "race" }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(7);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(13);
    expect(refused.every((r) => r.reason instanceof InsufficientCreditsError)).toBe(true);
    expect(await creditBalance(db, shop.id)).toBe(0);
    expect(await ledgerSum(shop.id)).toBe(0);
  });

  it("refuses a debit it cannot cover with a message that says what to do, and writes nothing", async () => {
    const shop = await shopWith(2);
    const attempt = debitCredits(db, { shopId: shop.id, amount: 4, generationId: "g-too-big", reason: "4K premium" });
    await expect(attempt).rejects.toThrow(/needs 4 credits but the shop has 2\. Buy a credit pack/);
    expect(await db.creditEntry.count({ where: { shopId: shop.id, kind: "debit" } })).toBe(0);
    expect(await creditBalance(db, shop.id)).toBe(2);
  });

  it("refunds a failed generation exactly once, even when asked twice at the same time", async () => {
    const shop = await shopWith(5);
    await debitCredits(db, { shopId: shop.id, amount: 3, generationId: "g-fail", reason: "gen" });
    const outcomes = await Promise.all([
      refundGeneration(db, { generationId: "g-fail", reason: "failed" }),
      refundGeneration(db, { generationId: "g-fail", reason: "failed" }),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await creditBalance(db, shop.id)).toBe(5);
    expect(await ledgerSum(shop.id)).toBe(5);
    expect(await refundGeneration(db, { generationId: "g-never-debited", reason: "x" })).toBe(false);
  });

  it("prices by model, resolution and variants, and charges nothing for free generations", () => {
    expect(priceOf({ model: "gemini-3.1-flash-image", resolution: "1K", variants: 4, free: false })).toBe(4);
    expect(priceOf({ model: "gemini-3-pro-image", resolution: "4K", variants: 1, free: false })).toBe(7);
    expect(priceOf({ model: "gemini-3-pro-image", resolution: "4K", variants: 3, free: true })).toBe(0);
  });
});
