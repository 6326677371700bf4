import { availableParallelism } from "node:os";

import sharp from "sharp";

// Every upload is processed once; libvips' operation cache would only hold on to memory.
sharp.cache(false);
// One libvips thread per pipeline (sharp's own default on glibc without jemalloc, made explicit
// so every platform behaves the same); parallelism comes from running pipelines side by side.
sharp.concurrency(1);

let slots = Math.max(1, availableParallelism());
let active = 0;
const waiting: (() => void)[] = [];

/**
 * Runs one sharp pipeline (decode → encode) when a slot is free. Pixel work is CPU-bound, so
 * more pipelines than cores only add memory. Without this, libuv's pool size is the only bound:
 * with UV_THREADPOOL_SIZE=16, 8 concurrent 12 MP uploads peaked at ~515 MB RSS vs ~380 MB with
 * one slot per core (MALLOC_ARENA_MAX=2), at the same throughput.
 * See docs/decisions/0024-image-pipeline-performance-and-memory.md.
 */
export async function withPipelineSlot<T>(work: () => Promise<T>): Promise<T> {
  if (active < slots) active++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next(); // hand the slot over directly
    else active--;
  }
}

/** Number of sharp pipelines allowed to run at once (default: number of CPUs). */
export function setPipelineSlots(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new Error(`pipeline slots must be a positive integer, got ${count}`);
  slots = count;
  while (active < slots && waiting.length > 0) {
    active++;
    waiting.shift()!();
  }
}

export { sharp };
