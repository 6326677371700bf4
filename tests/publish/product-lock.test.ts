// Gallery changes of one product never overlap, across processes too: another process is
// played here by a second lease holder writing to the same database (PGlite in the first CI
// pass, PostgreSQL in the second).
import { beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import {
  ProductBusyError,
  releaseProductLease,
  renewProductLease,
  tryAcquireProductLease,
  withProductLock,
} from "~/publish/product-lock.server";

const PRODUCT = "gid://shopify/Product/1001";
let shopId: string;

beforeAll(async () => {
  shopId = (await db.shop.create({ data: { domain: "lock-test.myshopify.com" } })).id;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("product lock across processes", () => {
  it("GIVEN another process holds the product WHEN a change starts THEN it waits for the release and the two never overlap", async () => {
    expect(await tryAcquireProductLease(db, shopId, PRODUCT, "other-process")).toBe(true);
    const events: string[] = [];
    const change = withProductLock(db, shopId, PRODUCT, async () => {
      events.push("ours started");
      return "done";
    });
    await sleep(300);
    events.push("other released");
    await releaseProductLease(db, shopId, PRODUCT, "other-process");
    expect(await change).toBe("done");
    expect(events).toEqual(["other released", "ours started"]);
    expect(await db.productLock.count({ where: { shopId } })).toBe(0);
  });

  it("takes over the lease of a process that died holding it, once the lease runs out", async () => {
    expect(await tryAcquireProductLease(db, shopId, PRODUCT, "crashed-process", 300)).toBe(true);
    expect(await tryAcquireProductLease(db, shopId, PRODUCT, "someone-else")).toBe(false);
    const started = Date.now();
    await withProductLock(db, shopId, PRODUCT, async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // The dead holder can neither renew nor release what is no longer its lease.
    expect(await renewProductLease(db, shopId, PRODUCT, "crashed-process")).toBe(false);
  });

  it("GIVEN a job's attempt died holding the product WHEN its next attempt runs THEN it takes over at once, while another job still waits", async () => {
    // Attempt 1 of job A crashed with a minute of lease left.
    expect(await tryAcquireProductLease(db, shopId, PRODUCT, "job:A#1", 60_000)).toBe(true);
    expect(await tryAcquireProductLease(db, shopId, PRODUCT, "job:B#1")).toBe(false);
    const started = Date.now();
    expect(await withProductLock(db, shopId, PRODUCT, async () => "retried", { job: { id: "A", attempt: 2 } })).toBe("retried");
    expect(Date.now() - started).toBeLessThan(1_000);
    // The dead attempt can no longer renew (or release) the product.
    expect(await tryAcquireProductLease(db, shopId, PRODUCT, "job:A#2", 60_000)).toBe(true);
    expect(await renewProductLease(db, shopId, PRODUCT, "job:A#1")).toBe(false);
    await releaseProductLease(db, shopId, PRODUCT, "job:A#1");
    expect(await tryAcquireProductLease(db, shopId, PRODUCT, "job:B#1")).toBe(false);
    await releaseProductLease(db, shopId, PRODUCT, "job:A#2");
  });

  it("keeps the lease while the work outlasts it, so no other process gets in", async () => {
    let intrusions = 0;
    let attempts = 0;
    await withProductLock(
      db,
      shopId,
      PRODUCT,
      async () => {
        // Another process keeps asking for the product for three lease lengths.
        for (const until = Date.now() + 900; Date.now() < until; attempts++) {
          if (await tryAcquireProductLease(db, shopId, PRODUCT, `intruder-${attempts}`, 300)) intrusions++;
          await sleep(40);
        }
      },
      { leaseMs: 300 },
    );
    expect(attempts).toBeGreaterThan(5);
    expect(intrusions).toBe(0);
  });

  it("gives up with a retryable message the merchant can read when the product stays busy", async () => {
    expect(await tryAcquireProductLease(db, shopId, PRODUCT, "slow-process")).toBe(true);
    let ran = false;
    const error = await withProductLock(db, shopId, PRODUCT, async () => (ran = true), { maxWaitMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProductBusyError);
    expect(error).toMatchObject({ retryable: true, message: "Another change to this product is still running. Lightbox will try again in a moment." });
    expect(ran).toBe(false);
    await releaseProductLease(db, shopId, PRODUCT, "slow-process");
  });

  it("serialises changes within one process and releases after a failure", async () => {
    const order: string[] = [];
    const first = withProductLock(db, shopId, PRODUCT, async () => {
      order.push("first start");
      await sleep(100);
      order.push("first end");
      throw new Error("Shopify said no");
    });
    const second = withProductLock(db, shopId, PRODUCT, async () => order.push("second"));
    await expect(first).rejects.toThrow("Shopify said no");
    await second;
    expect(order).toEqual(["first start", "first end", "second"]);
    expect(await db.productLock.count({ where: { shopId } })).toBe(0);
  });

  it("is gone with the shop when the shop is purged", async () => {
    const shop = await db.shop.create({ data: { domain: "lock-purge.myshopify.com" } });
    expect(await tryAcquireProductLease(db, shop.id, PRODUCT, "holder")).toBe(true);
    await db.shop.delete({ where: { id: shop.id } });
    expect(await db.productLock.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
