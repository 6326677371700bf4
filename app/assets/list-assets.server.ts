import type { Db } from "~/db.server";
import { afterKeyset, keysetCursor, pageSize } from "~/db/keyset";
import type { AssetKind, Prisma } from "~/generated/prisma/client";

/** Images per page unless the caller asks for another size. */
export const ASSET_PAGE_SIZE = 24;

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
  const limit = pageSize(input.limit, ASSET_PAGE_SIZE);
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
