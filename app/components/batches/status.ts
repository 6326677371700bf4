// How a batch and its products read in the admin (badges, one word each).
import type { BatchItemView, BatchSummary } from "~/batches/batch-view.server";

type Tone = "success" | "attention" | "critical" | "info" | "warning" | undefined;

export const ITEM_BADGE: Record<BatchItemView["status"], { label: string; tone: Tone }> = {
  waiting: { label: "Waiting", tone: undefined },
  starting: { label: "Making", tone: "info" },
  generating: { label: "Making", tone: "info" },
  review: { label: "Ready for review", tone: "attention" },
  publishing: { label: "Publishing", tone: "info" },
  published: { label: "Published", tone: "success" },
  rejected: { label: "Rejected", tone: undefined },
  failed: { label: "Failed", tone: "critical" },
  cancelled: { label: "Cancelled", tone: undefined },
};

const BATCH_BADGE: Record<BatchSummary["status"], { label: string; tone: Tone }> = {
  running: { label: "Running", tone: "info" },
  paused: { label: "Paused", tone: "warning" },
  cancelled: { label: "Cancelled", tone: undefined },
  completed: { label: "Done", tone: "success" },
};

/**
 * A batch's badge. A finished batch is not "Done" while a product is still being made again (a
 * free regenerate) or published, nor while results wait for the merchant's review.
 */
export function batchBadge(batch: Pick<BatchSummary, "status" | "counts">): { label: string; tone: Tone } {
  if (batch.status === "completed" && batch.counts.working + batch.counts.publishing > 0) return { label: "Finishing", tone: "info" };
  if (batch.status === "completed" && batch.counts.review > 0) return { label: "To review", tone: "attention" };
  return BATCH_BADGE[batch.status];
}

/** "about 3 minutes", "about 40 seconds". */
export function duration(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} seconds`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `about ${Math.round(minutes / 60)} hours`;
}

export function billingLine(billing: BatchSummary["billing"], credits: number): string {
  if (billing === "own_key") return "Billed to your own Gemini API key (no Lightbox credits).";
  if (billing === "offline") return "Made by the offline compositor (no AI, free): add a Gemini key for real studio images.";
  return `${credits} credit${credits === 1 ? "" : "s"}`;
}
