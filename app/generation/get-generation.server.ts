import type { Db } from "~/db.server";
import { notFound } from "~/errors";
import { afterKeyset, keysetCursor } from "~/db/keyset";
import type { GenerationStatus, Prisma } from "~/generated/prisma/client";

/** The shop's generation with its outputs (variant order), or NOT_FOUND. */
export async function getGeneration(db: Db, shopId: string, id: string) {
  const generation = await db.generation.findFirst({
    where: { id, shopId },
    include: { outputs: { orderBy: { variantIndex: "asc" } } },
  });
  if (!generation) throw notFound("Generation");
  return generation;
}

export async function listGenerations(
  db: Db,
  input: { shopId: string; cursor?: string | null; limit?: number; status?: GenerationStatus; productId?: string },
) {
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 100);
  const rows = await db.generation.findMany({
    where: {
      shopId: input.shopId,
      ...(input.status ? { status: input.status } : {}),
      ...(input.productId ? { productId: input.productId } : {}),
      ...(afterKeyset(input.cursor) as Prisma.GenerationWhereInput),
    },
    include: { outputs: { orderBy: { variantIndex: "asc" } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { generations: page, nextCursor: rows.length > limit ? keysetCursor(page.at(-1)) : null };
}
