// The batch job types (defined in batch-jobs.server.ts, listed in app/jobs/definitions.server.ts).
export const BATCH_ITEM_JOB = "batch.item";
export const BATCH_ADVANCE_JOB = "batch.advance";

/** One generation per item and attempt: its id says which, so a re-run job finds it again. */
export function batchGenerationId(item: { id: string; attempt: number }): string {
  return `${item.id}_a${item.attempt}`;
}
