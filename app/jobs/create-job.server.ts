import type { Db, DbTx } from "~/db.server";
import type { Job, Prisma } from "~/generated/prisma/client";

import { jobDefinition } from "./registry.server";

export type NewJob = {
  /** A pre-chosen id, when another row written in the same transaction refers to the job. */
  id?: string;
  type: string;
  payload: unknown;
  shopId?: string | null;
  runAt?: Date;
};

/**
 * Writes a queued job row (inside the caller's transaction when given one, so e.g. a credit
 * debit and its job commit together). Hand the row to `jobQueue().dispatch()` after commit.
 */
export async function createJob(db: Db | DbTx, input: NewJob): Promise<Job> {
  const definition = jobDefinition(input.type);
  if (!definition) throw new Error(`No job type "${input.type}" is registered`);
  const payload = definition.payload.parse(input.payload) as Prisma.InputJsonValue;
  return db.job.create({
    data: {
      ...(input.id ? { id: input.id } : {}),
      type: input.type,
      payload,
      shopId: input.shopId ?? null,
      maxAttempts: definition.maxAttempts ?? 3,
      runAt: input.runAt ?? new Date(),
    },
  });
}
