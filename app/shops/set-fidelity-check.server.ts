// Settings: whether each new generation's images get the fidelity check (ADR 0095). On by default.
import type { Db } from "~/db.server";

export async function setFidelityCheck(db: Db, shopId: string, enabled: boolean): Promise<void> {
  await db.shop.update({ where: { id: shopId }, data: { fidelityCheck: enabled }, select: { id: true } });
}
