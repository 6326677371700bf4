import { invalidateToken } from "~/cache/hot-cache.server";
import type { Db } from "~/db.server";
import { notFound } from "~/errors";

/**
 * Revokes the shop's token. Every request authenticates against the database, so the next
 * request with it is refused. Revoking twice is a no-op; another shop's token is "not found".
 */
export async function revokeApiToken(db: Db, shopId: string, tokenId: string, now = new Date()): Promise<void> {
  const { count } = await db.apiToken.updateMany({ where: { id: tokenId, shopId, revokedAt: null }, data: { revokedAt: now } });
  if (count === 1) {
    await invalidateToken(tokenId); // the next request re-reads the token
    return;
  }
  const exists = await db.apiToken.count({ where: { id: tokenId, shopId } });
  if (!exists) throw notFound("Token");
}
