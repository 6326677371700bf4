// Retry loop with exponential backoff, full jitter and a total time budget. Pure: time and
// randomness come from an injectable Clock so tests run without real waits.

import { GenerationError } from "./errors";

export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

export interface RetryPolicy {
  /** No retry starts (wait included) after this much time since the first attempt. */
  budgetMs: number;
  /** Cap of the first backoff window; doubles per retry. */
  baseDelayMs: number;
  /** Cap of any backoff window. */
  maxDelayMs: number;
  /** Hard cap on attempts, first one included. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  budgetMs: 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 20_000,
  maxAttempts: 8,
};

/**
 * Delay before retry number `retry` (1 = first retry). A server hint (Retry-After or
 * RetryInfo) is honoured as a floor, plus up to 10 % (max 1 s) jitter so that many
 * clients told the same delay do not return at the same instant. Without a hint: full
 * jitter, uniform in [0, min(maxDelay, base * 2^(retry-1))).
 */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number,
  hintMs?: number,
): number {
  if (hintMs !== undefined && hintMs >= 0) {
    return Math.round(hintMs + random() * Math.min(hintMs * 0.1, 1_000));
  }
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(random() * cap);
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  error: GenerationError;
}

export interface RetryOutcome<T> {
  value: T;
  attempts: number;
  waitedMs: number;
}

export interface RunWithRetryOptions {
  policy: RetryPolicy;
  clock: Clock;
  /** Whether this error may be retried by the loop (budget permitting). */
  shouldRetry: (error: GenerationError) => boolean;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs, or the next wait would
 * end past the budget. `attempt` must throw GenerationError only. The final error carries
 * the number of attempts made.
 */
export async function runWithRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RunWithRetryOptions,
): Promise<RetryOutcome<T>> {
  const { policy, clock, signal } = options;
  const startedAt = clock.now();
  let waitedMs = 0;
  for (let n = 1; ; n++) {
    try {
      const value = await attempt(n);
      return { value, attempts: n, waitedMs };
    } catch (thrown) {
      const error =
        thrown instanceof GenerationError
          ? thrown
          : new GenerationError("UNKNOWN", { detail: String(thrown), cause: thrown });
      if (!options.shouldRetry(error) || n >= policy.maxAttempts) {
        throw error.with({ attempts: n });
      }
      const delayMs = backoffDelay(n, policy, clock.random, error.retryAfterMs);
      const elapsed = clock.now() - startedAt;
      if (elapsed + delayMs > policy.budgetMs) {
        throw error.with({
          attempts: n,
          detail: `${error.detail ?? error.code}; gave up after ${n} attempt(s) in ${elapsed} ms (retry budget ${policy.budgetMs} ms, next wait ${delayMs} ms)`,
        });
      }
      options.onRetry?.({ attempt: n, delayMs, error });
      try {
        await clock.sleep(delayMs, signal);
      } catch (reason) {
        throw new GenerationError("CANCELLED", { attempts: n, cause: reason });
      }
      waitedMs += delayMs;
    }
  }
}
