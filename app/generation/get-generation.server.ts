import type { Db } from "~/db.server";
import { notFound } from "~/errors";
import { afterKeyset, keysetCursor, pageSize } from "~/db/keyset";
import type { GenerationStatus, Prisma } from "~/generated/prisma/client";

/** The shop's generation with its outputs (variant order), or NOT_FOUND. */
export async function getGeneration(db: Db, shopId: string, id: string) {
  const generation = await db.generation.findFirst({
    where: { id, shopId },
    include: { outputs: { orderBy: { variantIndex: "asc" }, include: { fidelity: true } } },
  });
  if (!generation) throw notFound("Generation");
  return generation;
}

/** Generations per page unless the caller asks for another size. */
export const GENERATION_PAGE_SIZE = 20;

export async function listGenerations(
  db: Db,
  input: { shopId: string; cursor?: string | null; limit?: number; status?: GenerationStatus; productId?: string },
) {
  const limit = pageSize(input.limit, GENERATION_PAGE_SIZE);
  const rows = await db.generation.findMany({
    where: {
      shopId: input.shopId,
      ...(input.status ? { status: input.status } : {}),
      ...(input.productId ? { productId: input.productId } : {}),
      ...(afterKeyset(input.cursor) as Prisma.GenerationWhereInput),
    },
    include: { outputs: { orderBy: { variantIndex: "asc" }, include: { fidelity: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { generations: page, nextCursor: rows.length > limit ? keysetCursor(page.at(-1)) : null };
}
