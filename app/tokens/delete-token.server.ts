import { invalidateToken } from "~/cache/hot-cache.server";
import type { Db } from "~/db.server";
import { AppError, notFound } from "~/errors";

/**
 * Deletes a revoked or expired token of the shop for good (data rights: the merchant may remove
 * it from the list). An active token must be revoked first, so deleting is never the surprise
 * that breaks a running script. Request log rows keep the id but lose the name.
 */
export async function deleteApiToken(db: Db, shopId: string, tokenId: string, now = new Date()): Promise<void> {
  const { count } = await db.apiToken.deleteMany({
    where: { id: tokenId, shopId, OR: [{ revokedAt: { not: null } }, { expiresAt: { lte: now } }] },
  });
  if (count === 1) {
    await invalidateToken(tokenId); // the next request re-reads the token
    return;
  }
  const exists = await db.apiToken.count({ where: { id: tokenId, shopId } });
  if (!exists) throw notFound("Token");
  throw new AppError("CONFLICT", "Revoke the token before deleting it.");
}
