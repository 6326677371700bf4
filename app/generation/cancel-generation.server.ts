// Stops a generation that has not ended yet and gives its credits back, at most once. A job still
// working on it finds it ended and stores nothing (its final update matches no running row).
import { refundGeneration } from "~/credits/ledger.server";
import type { Db } from "~/db.server";

export async function cancelGeneration(db: Db, generationId: string, message: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.generation.updateMany({
      where: { id: generationId, status: { in: ["queued", "running"] } },
      data: { status: "failed", errorCode: "CANCELLED", errorMessage: message, finishedAt: new Date() },
    });
    if (count === 0) return false;
    await refundGeneration(tx, { generationId, reason: message });
    return true;
  });
}
