// A generation's progress bar while the model works. Gemini reports nothing until it answers, so
// the bar moves with the time spent against how long such an image usually takes (this shop's
// recent ones of the same model and size, or a first guess), never passes 95% before the end, and
// says "longer than usual" rather than inventing a countdown once past the estimate.
import type { Resolution } from "./models";

/** First guesses (seconds per image) until a shop has history of its own. */
const FIRST_GUESS_SECONDS: Record<"offline" | "flash" | "pro", Record<Resolution, number>> = {
  offline: { "1K": 2, "2K": 3, "4K": 5 },
  flash: { "1K": 12, "2K": 16, "4K": 30 },
  pro: { "1K": 20, "2K": 25, "4K": 40 },
};

export function firstGuessMsPerImage(provider: string, model: string, resolution: string): number {
  const family = provider === "offline" ? "offline" : model.includes("pro") ? "pro" : "flash";
  const table = FIRST_GUESS_SECONDS[family];
  return (table[resolution as Resolution] ?? table["1K"]) * 1000;
}

export type ProgressEstimate = {
  percent: number;
  /** Whole seconds left by the estimate; null when not running or already past it. */
  secondsLeft: number | null;
};

export function estimateProgress(input: {
  status: "queued" | "running" | "succeeded" | "failed";
  /** What the job recorded (whole variants done). */
  progress: number;
  startedAt: Date | null;
  now: Date;
  variants: number;
  typicalMsPerImage: number;
}): ProgressEstimate {
  if (input.status === "succeeded") return { percent: 100, secondsLeft: null };
  if (input.status !== "running" || !input.startedAt) return { percent: input.progress, secondsLeft: null };
  const expectedMs = Math.max(1, input.typicalMsPerImage * input.variants);
  const elapsedMs = Math.max(0, input.now.getTime() - input.startedAt.getTime());
  const byTime = Math.min(95, Math.floor((100 * elapsedMs) / expectedMs));
  const percent = Math.max(input.progress, byTime);
  const leftMs = expectedMs - elapsedMs;
  return { percent, secondsLeft: leftMs > 0 ? Math.ceil(leftMs / 1000) : null };
}
