// The batch review shows each result's fidelity check: results the model says drifted are flagged
// with its reasons and can be regenerated once free; the rest are not.
import { afterEach, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.GEMINI_API_KEY = "lightbox-service-key-for-tests";
});

import { batchView } from "~/batches/batch-view.server";
import { creditBalance } from "~/credits/ledger.server";
import { db } from "~/db.server";
import { regenerateFree } from "~/generation/regenerate-free.server";
import { BUILTIN_LINEUP, DEFAULT_FIDELITY_MODEL } from "~/generation/models";

import { settleBatch, startBatch, startBatchHarness, WHITE_STUDIO, type BatchHarness } from "./support";

let h: BatchHarness | undefined;
afterEach(async () => {
  await h?.stopAll();
  h = undefined;
});

describe("batch review: fidelity flags", () => {
  it("GIVEN a batch whose second product drifted THEN only that one is flagged, with reasons, and its free regenerate costs nothing", async () => {
    h = await startBatchHarness({ products: 3, credits: 10, gemini: {}, concurrency: 1 });
    // One job at a time: the three images, then their three checks (queued behind them at the batch's priority).
    h.fake!.next({}, {}, {}, { json: { score: 92, reasons: [] } }, { json: { score: 25, reasons: ["The logo on the bottle is missing."] } }, { json: { score: 90, reasons: [] } });
    const { batch } = await startBatch(h, { selection: { kind: "filter" }, settings: WHITE_STUDIO });
    await settleBatch(h, batch.id);
    expect(h.fake!.generateRequests().map((r) => r.model)).toEqual([...Array(3).fill(BUILTIN_LINEUP.default), ...Array(3).fill(DEFAULT_FIDELITY_MODEL)]);

    const view = await batchView(db, h.storage, h.shopId, batch.id);
    const flags = view.items.map((item) => item.outputs[0]?.fidelity?.outcome);
    expect(flags.sort()).toEqual(["flagged", "passed", "passed"]);
    const flagged = view.items.find((item) => item.outputs[0]?.fidelity?.outcome === "flagged")!;
    expect(flagged.outputs[0]!.fidelity).toEqual({ outcome: "flagged", score: 25, reasons: ["The logo on the bottle is missing."], canRegenerateFree: true });

    const before = await creditBalance(db, h.shopId);
    await regenerateFree(db, { shopId: h.shopId, assetId: flagged.outputs[0]!.id });
    expect(await creditBalance(db, h.shopId)).toBe(before);
    const after = await batchView(db, h.storage, h.shopId, batch.id);
    expect(after.items.find((item) => item.id === flagged.id)!.status).toBe("generating");
    await expect(regenerateFree(db, { shopId: h.shopId, assetId: flagged.outputs[0]!.id })).rejects.toThrow(/already regenerated free once/);

    // The new image becomes the product's result in the review, and it cost nothing.
    await settleBatch(h, batch.id);
    const redone = (await batchView(db, h.storage, h.shopId, batch.id)).items.find((item) => item.id === flagged.id)!;
    expect(redone.status).toBe("review");
    expect(redone.outputs).toHaveLength(1);
    expect(redone.outputs[0]!.id).not.toBe(flagged.outputs[0]!.id);
    expect(redone.outputs[0]!.fidelity?.outcome).toBe("passed");
    expect(await creditBalance(db, h.shopId)).toBe(before);
    await h.queue.drain();
  });
});
