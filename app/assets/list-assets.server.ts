import type { Db } from "~/db.server";
import { afterKeyset, keysetCursor } from "~/db/keyset";
import type { AssetKind, Prisma } from "~/generated/prisma/client";

export type ListAssetsInput = {
  shopId: string;
  kind?: AssetKind;
  productId?: string;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string | null;
  limit?: number;
};

/** Newest first, cursor-paginated, always scoped to the shop. */
export async function listAssets(db: Db, input: ListAssetsInput) {
  const limit = Math.min(Math.max(input.limit ?? 24, 1), 100);
  const where: Prisma.AssetWhereInput = {
    shopId: input.shopId,
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.productId ? { productId: input.productId } : {}),
    ...(afterKeyset(input.cursor) as Prisma.AssetWhereInput),
  };
  const rows = await db.asset.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit + 1 });
  const page = rows.slice(0, limit);
  return { assets: page, nextCursor: rows.length > limit ? keysetCursor(page.at(-1)) : null };
}
