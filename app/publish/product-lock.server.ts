// Gallery changes of one product run one at a time, across every process: a publish reads the
// gallery before it adds (to recognise its new media) and a replace or revert rewrites the whole
// list, so two of them interleaving could drop each other's work. Within a process, callers queue
// behind each other; across processes (BullMQ workers), a lease row in ProductLock decides, held
// without a transaction open across Shopify calls and renewed while the work runs. A crashed
// holder's lease runs out. See docs/decisions/0053-product-lock-lease.md.
import { randomUUID } from "node:crypto";

import type { Db } from "~/db.server";
import { AppError } from "~/errors";

export const PRODUCT_LEASE_MS = 60_000;
const MAX_WAIT_MS = 120_000;

/** Another process kept the product for longer than we wait; the job's retry tries again later. */
export class ProductBusyError extends AppError {
  override name = "ProductBusyError";
  constructor() {
    super("PRODUCT_BUSY", "Another change to this product is still running. Lightbox will try again in a moment.", {
      status: 503,
      title: "Product busy",
      retryable: true,
      headers: { "Retry-After": "5" },
    });
  }
}

/** Takes the product's lease if it is free or its holder's lease ran out. */
export async function tryAcquireProductLease(db: Db, shopId: string, productId: string, holder: string, leaseMs = PRODUCT_LEASE_MS): Promise<boolean> {
  // A holder "job:<id>#<attempt>" may take over from an earlier attempt of the same job: the job
  // runner only starts a new attempt once the earlier one's process was found gone.
  const sameJob = holder.startsWith("job:") ? `${holder.split("#")[0]}#%` : null;
  const rows = await db.$queryRaw<Array<{ holder: string }>>`
    INSERT INTO "ProductLock" ("shopId", "productId", holder, "leaseUntil")
    VALUES (${shopId}, ${productId}, ${holder}, now() + (${leaseMs} * interval '1 millisecond'))
    ON CONFLICT ("shopId", "productId") DO UPDATE
       SET holder = EXCLUDED.holder, "leaseUntil" = EXCLUDED."leaseUntil", "createdAt" = now()
     WHERE "ProductLock"."leaseUntil" < now() OR "ProductLock".holder = EXCLUDED.holder
        OR (${sameJob}::text IS NOT NULL AND "ProductLock".holder LIKE ${sameJob}::text)
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

type LeaseOptions = {
  leaseMs?: number;
  maxWaitMs?: number;
  /** The job doing the work: its next attempt takes over at once after a crash (no lease wait). */
  job?: { id: string; attempt: number };
};

export async function withProductLock<T>(
  db: Db,
  shopId: string,
  productId: string,
  work: () => Promise<T>,
  options: LeaseOptions = {},
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
  { leaseMs = PRODUCT_LEASE_MS, maxWaitMs = MAX_WAIT_MS, job }: LeaseOptions,
): Promise<T> {
  const holder = job ? `job:${job.id}#${job.attempt}` : randomUUID();
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

/**
 * At the start of a process that owns its database (embedded PGlite), every lease belongs to a
 * process that is gone: free them now instead of waiting for them to run out.
 */
export async function releaseAllProductLocks(db: Db): Promise<number> {
  const { count } = await db.productLock.deleteMany({});
  return count;
}
