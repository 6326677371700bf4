import type { Clock } from "~/generation/retry";

/**
 * A clock whose sleeps return at once and advance virtual time; `sleeps` records every
 * requested wait. `random` is fixed (1 = always the top of the jitter window).
 */
export function virtualClock(random = 1): Clock & { sleeps: number[]; elapsed(): number } {
  let offset = 0;
  const sleeps: number[] = [];
  const start = Date.now();
  return {
    sleeps,
    now: () => Date.now() + offset,
    random: () => (random >= 1 ? 0.999999 : random),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      offset += ms;
    },
    elapsed: () => Date.now() + offset - start,
  };
}
