import { creditHistory } from "~/credits/ledger.server";
import type { Db } from "~/db.server";
import { env } from "~/env.server";
import { recentExports } from "~/exports/export-view.server";
import type { ObjectStorage } from "~/storage/types";

export async function settingsPage(db: Db, storage: ObjectStorage, shopId: string) {
  const shop = await db.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { creditBalance: true, geminiKeyHint: true, geminiKeySavedAt: true, fidelityCheck: true },
  });
  const history = await creditHistory(db, shopId, 25);
  return {
    credits: shop.creditBalance,
    ownKey: shop.geminiKeyHint ? { hint: `••••${shop.geminiKeyHint}`, savedAt: shop.geminiKeySavedAt?.toISOString() ?? null } : null,
    serviceGemini: Boolean(env().geminiApiKey),
    fidelity: { enabled: shop.fidelityCheck, available: env().fidelityCheck, threshold: env().fidelityThreshold },
    exports: (await recentExports(db, storage, shopId)).filter((view) => view.scope === "all_data"),
    history: history.map((e) => ({ id: e.id, kind: e.kind, amount: e.amount, balanceAfter: e.balanceAfter, reason: e.reason, createdAt: e.createdAt.toISOString() })),
  };
}
