// How many of a batch's products are worked on at once, and how long a batch should take.
// Gemini's images-per-minute quota sets the pace: a window of ipm x (seconds per image) / 60
// products in flight keeps the key at its quota without queueing past it. The window never takes
// every worker slot, so other shops' work always finds one free (app/jobs/due-jobs.server.ts).

export type PaceInput = {
  provider: string;
  /** Images per minute of the key (null: no quota, e.g. the offline compositor). */
  imagesPerMinute: number | null;
  /** How long one image typically takes (this shop's recent ones, or a first guess). */
  typicalMsPerImage: number;
  variants: number;
  /** Jobs one worker process runs at once (JOB_CONCURRENCY). */
  jobConcurrency: number;
};

/** Starting a product (its photo from Shopify, the generation's debit and job) takes about this long. */
const START_MS = 1_000;
/** Products in flight beyond what the quota needs on average, so a slow one never idles the key. */
const HEADROOM = 1.5;

export function batchWindow(input: PaceInput): number {
  const most = Math.max(1, input.jobConcurrency - 1);
  if (!input.imagesPerMinute) return most;
  // Little's law: products per second the quota allows x how long one is in flight.
  const perProductMs = START_MS + input.typicalMsPerImage * input.variants;
  const byQuota = Math.ceil(HEADROOM * (input.imagesPerMinute / input.variants / 60) * (perProductMs / 1000)) + 1;
  return Math.min(most, Math.max(1, byQuota));
}

/** Seconds for `products` more products: the slower of the window's throughput and the quota. */
export function estimatedSeconds(input: PaceInput & { products: number }): number {
  if (input.products <= 0) return 0;
  const window = batchWindow(input);
  const byWindow = (input.products * input.typicalMsPerImage * input.variants) / window / 1000;
  const byQuota = input.imagesPerMinute ? ((input.products * input.variants) / input.imagesPerMinute) * 60 : 0;
  return Math.ceil(Math.max(byWindow, byQuota));
}
