// A job type: a name, a zod schema for its payload, and a handler. Handlers must be idempotent:
// a job can run again after a crash (the lease expires) and must then finish the same work once.
import type { z } from "zod";

import type { Db, DbTx } from "~/db.server";

export type JobContext = {
  db: Db;
  jobId: string;
  shopId: string | null;
  attempt: number;
  /** Reports progress (0-100) and a merchant-readable message; also renews the lease. */
  progress(percent: number, message?: string): Promise<void>;
  signal: AbortSignal;
};

export type JobDefinition<Schema extends z.ZodTypeAny = z.ZodTypeAny, Result = unknown, Type extends string = string> = {
  type: Type;
  payload: Schema;
  maxAttempts?: number;
  /** Lease per attempt; a job still running after it is considered crashed and re-run. */
  leaseMs?: number;
  /** Queued by the app once work has ended (e.g. a webhook delivery): never refused by the shop's job limit. */
  exemptFromShopLimit?: boolean;
  run(payload: z.infer<Schema>, ctx: JobContext): Promise<Result>;
  /**
   * Called once when the job fails for good (after its last attempt), inside the transaction
   * that marks it failed: `ctx.db` is that transaction.
   */
  onFailed?(
    payload: z.infer<Schema>,
    error: Error,
    ctx: Omit<JobContext, "progress" | "signal" | "db"> & { db: DbTx },
  ): Promise<void>;
};

/** Keeps the literal type and payload schema, so createJob can type each job's payload. */
export function defineJob<const Type extends string, Schema extends z.ZodTypeAny, Result>(
  definition: JobDefinition<Schema, Result, Type>,
): JobDefinition<Schema, Result, Type> {
  return definition;
}

/** Throw from a handler for a failure that retrying cannot fix; `message` is shown to the merchant. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/**
 * Throw from a handler to run the job again later without spending an attempt: it waits for
 * capacity (a rate limit), it has not failed. `message` is shown as the job's progress.
 */
export class DeferJobError extends Error {
  override name = "DeferJobError";
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
  }
}
