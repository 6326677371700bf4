import type { Db } from "~/db.server";

import { tokenView, type TokenView } from "./token-view";

/** The shop's tokens, newest first (revoked ones included, marked as such). */
export async function listApiTokens(db: Db, shopId: string, now = new Date()): Promise<TokenView[]> {
  const rows = await db.apiToken.findMany({ where: { shopId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 200 });
  return rows.map((row) => tokenView(row, now));
}
