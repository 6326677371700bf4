// Gallery changes of one product run one at a time, across every process: a publish reads the
// gallery before it adds (to recognise its new media) and a replace or revert rewrites the whole
// list, so two of them interleaving could drop each other's work. Within a process, callers queue
// behind each other; across processes (BullMQ workers), a lease row in ProductLock decides, held
// without a transaction open across Shopify calls and renewed while the work runs. A crashed
// holder's lease runs out. See docs/decisions/0053-product-lock-lease.md.
import { randomUUID } from "node:crypto";

import type { Db } from "~/db.server";

export const PRODUCT_LEASE_MS = 60_000;
const MAX_WAIT_MS = 120_000;

/** Another process kept the product for longer than we wait; the job's retry tries again later. */
export class ProductBusyError extends Error {
  override name = "ProductBusyError";
  readonly retryable = true;
  constructor() {
    super("Another change to this product is still running. Lightbox will try again in a moment.");
  }
}

/** Takes the product's lease if it is free or its holder's lease ran out. */
export async function tryAcquireProductLease(db: Db, shopId: string, productId: string, holder: string, leaseMs = PRODUCT_LEASE_MS): Promise<boolean> {
  const rows = await db.$queryRaw<Array<{ holder: string }>>`
    INSERT INTO "ProductLock" ("shopId", "productId", holder, "leaseUntil")
    VALUES (${shopId}, ${productId}, ${holder}, now() + (${leaseMs} * interval '1 millisecond'))
    ON CONFLICT ("shopId", "productId") DO UPDATE
       SET holder = EXCLUDED.holder, "leaseUntil" = EXCLUDED."leaseUntil", "createdAt" = now()
     WHERE "ProductLock"."leaseUntil" < now() OR "ProductLock".holder = EXCLUDED.holder
    RETURNING holder`;
  return rows.length === 1;
}

/** Extends the lease; false when it was lost (it ran out and someone else took it). */
export async function renewProductLease(db: Db, shopId: string, productId: string, holder: string, leaseMs = PRODUCT_LEASE_MS): Promise<boolean> {
  const renewed = await db.$executeRaw`
    UPDATE "ProductLock" SET "leaseUntil" = now() + (${leaseMs} * interval '1 millisecond')
     WHERE "shopId" = ${shopId} AND "productId" = ${productId} AND holder = ${holder}`;
  return renewed === 1;
}

export async function releaseProductLease(db: Db, shopId: string, productId: string, holder: string): Promise<void> {
  await db.$executeRaw`DELETE FROM "ProductLock" WHERE "shopId" = ${shopId} AND "productId" = ${productId} AND holder = ${holder}`;
}

const tails = new Map<string, Promise<unknown>>();

export async function withProductLock<T>(
  db: Db,
  shopId: string,
  productId: string,
  work: () => Promise<T>,
  options: { leaseMs?: number; maxWaitMs?: number } = {},
): Promise<T> {
  const key = `${shopId}:${productId}`;
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => underLease(db, shopId, productId, work, options));
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}

async function underLease<T>(
  db: Db,
  shopId: string,
  productId: string,
  work: () => Promise<T>,
  { leaseMs = PRODUCT_LEASE_MS, maxWaitMs = MAX_WAIT_MS }: { leaseMs?: number; maxWaitMs?: number },
): Promise<T> {
  const holder = randomUUID();
  const giveUpAt = Date.now() + maxWaitMs;
  for (let delay = 50; !(await tryAcquireProductLease(db, shopId, productId, holder, leaseMs)); delay = Math.min(1_000, delay * 2)) {
    if (Date.now() + delay > giveUpAt) throw new ProductBusyError();
    await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
  }
  const renew = setInterval(() => {
    void renewProductLease(db, shopId, productId, holder, leaseMs).then(
      (held) => held || console.error(`[publish] lost the lease on ${productId} while working on it`),
      (error: unknown) => console.error(`[publish] could not renew the lease on ${productId}`, error),
    );
  }, leaseMs / 3);
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await releaseProductLease(db, shopId, productId, holder).catch((error: unknown) =>
      console.error(`[publish] could not release the lease on ${productId}; it runs out by itself`, error),
    );
  }
}
