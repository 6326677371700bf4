// One purge routine for everything a shop owns. Each feature registers a purger for its rows
// and stored objects (e.g. assets register "delete objects under shops/<id>/, then rows").
// Uninstall and shop/redact call purgeShop(); a new table without a purger fails a test
// (tests/integration/purge-coverage.test.ts).
import type { Db } from "~/db.server";

export type PurgeContext = {
  db: Db;
  /** Shop domain, e.g. "example.myshopify.com". */
  shopDomain: string;
  /** Shop row id, when the shop is known to Lightbox. */
  shopId: string | null;
};

export type Purger = {
  /** What it purges, for logs and the coverage test: the Prisma model names it empties. */
  name: string;
  models: string[];
  /** Runs before rows are deleted (e.g. remove stored objects while keys are still known). */
  purge(ctx: PurgeContext): Promise<void>;
};

const purgers: Purger[] = [];

export function registerPurger(purger: Purger): void {
  if (purgers.some((existing) => existing.name === purger.name)) return;
  purgers.push(purger);
}

export function registeredPurgers(): readonly Purger[] {
  return purgers;
}
