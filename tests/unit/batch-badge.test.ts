// The batch badge a merchant reads on the batches list and the review page.
import { describe, expect, it } from "vitest";

import type { BatchCounts } from "~/batches/batch-view.server";
import { batchBadge } from "~/components/batches/status";

const counts = (over: Partial<BatchCounts> = {}): BatchCounts => ({
  total: 3, waiting: 0, working: 0, review: 3, publishing: 0, published: 0, rejected: 0, failed: 0, cancelled: 0, ...over,
});

describe("batchBadge", () => {
  it("says Done when every product of a finished batch has settled", () => {
    expect(batchBadge({ status: "completed", counts: counts({ review: 0, published: 2, rejected: 1 }) })).toEqual({ label: "Done", tone: "success" });
  });

  it("GIVEN a finished batch WHEN results wait for approval THEN it says To review", () => {
    expect(batchBadge({ status: "completed", counts: counts({ review: 1, published: 2 }) })).toEqual({ label: "To review", tone: "attention" });
  });

  it("GIVEN a finished batch WHEN a product is made again free or still publishing THEN it says Finishing, not Done", () => {
    expect(batchBadge({ status: "completed", counts: counts({ review: 2, working: 1 }) })).toEqual({ label: "Finishing", tone: "info" });
    expect(batchBadge({ status: "completed", counts: counts({ review: 2, publishing: 1 }) })).toEqual({ label: "Finishing", tone: "info" });
  });

  it("says what a running, paused or cancelled batch is doing", () => {
    expect(batchBadge({ status: "running", counts: counts({ working: 1 }) }).label).toBe("Running");
    expect(batchBadge({ status: "paused", counts: counts({ waiting: 2 }) }).label).toBe("Paused");
    expect(batchBadge({ status: "cancelled", counts: counts({ working: 1 }) }).label).toBe("Cancelled");
  });
});
