// The one way Lightbox talks to a shop's Admin GraphQL API when it matters that Shopify's rate
// limit is respected: publish jobs, revert jobs and the product page all go through here.
//
// Shopify limits the Admin GraphQL API by calculated query cost with a leaky bucket per app and
// shop (docs/decisions/0011). Every answer carries `extensions.cost` (requestedQueryCost,
// actualQueryCost, throttleStatus { maximumAvailable, currentlyAvailable, restoreRate }). This
// module keeps one model of that bucket per shop, shared by every job in the process, and only
// sends a request when the model says the bucket holds the request's cost; otherwise it waits
// exactly as long as the restore rate needs. A THROTTLED answer (another process shares the
// bucket, or our estimate was low) is retried after the wait Shopify's numbers imply, and 5xx or
// network failures are retried with exponential backoff and jitter when the operation is safe to
// repeat. See docs/decisions/0050-admin-api-pacing.md.
import {
  GraphqlQueryError,
  HttpMaxRetriesError,
  HttpRequestError,
  HttpResponseError,
  HttpThrottlingError,
} from "@shopify/shopify-api";

import { AdminApiError, type AdminGraphql } from "./graphql.server";

export type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
export type QueryCost = { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus };

const BUSY = { status: 503, title: "Shopify is busy", retryable: true, headers: { "Retry-After": "5" } } as const;

/** Shopify could not be reached or kept failing (5xx): worth retrying later. */
export class ShopifyUnavailableError extends AdminApiError {
  override name = "ShopifyUnavailableError";
  constructor(message: string, errors: unknown) {
    super(message, errors, BUSY);
  }
}

/** Shopify kept throttling for longer than we are willing to wait in one go: retry later. */
export class ShopifyBusyError extends AdminApiError {
  override name = "ShopifyBusyError";
  constructor(message: string, errors: unknown) {
    super(message, errors, BUSY);
  }
}

/** Shopify refused the request itself (bad document, access denied, 4xx): retrying cannot help. */
export class ShopifyRequestError extends AdminApiError {
  override name = "ShopifyRequestError";
  /** Shopify's HTTP status, when the refusal was an HTTP error. */
  shopifyStatus: number | null = null;
}

// ---------------------------------------------------------------------------------------------
// The per-shop bucket model

/** Assumed until the shop's first answer says otherwise: the Standard plan (ADR 0011). */
const ASSUMED_BUCKET = { maximumAvailable: 2000, restoreRate: 100 };
/** Cost assumed for a document never sent before (its real cost is remembered after one answer). */
const DEFAULT_COST_ESTIMATE = 50;

type Waiter = { cost: number; grant: (ticket: number) => void };

/**
 * A leaky-bucket model for one shop. `acquire(cost)` resolves when the modelled bucket holds
 * `cost` points (first come, first served) and reserves them; `settle` hands back what Shopify
 * reported. Until the first answer arrives only one request is in flight (it probes the bucket).
 */
export class ShopBucket {
  private maximum = ASSUMED_BUCKET.maximumAvailable;
  private restoreRate = ASSUMED_BUCKET.restoreRate;
  private available = ASSUMED_BUCKET.maximumAvailable;
  private updatedAt: number;
  private known = false;
  private nextTicket = 1;
  private readonly inFlight = new Map<number, number>();
  private readonly waiting: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly now: () => number = Date.now) {
    this.updatedAt = now();
  }

  acquire(cost: number): Promise<number> {
    return new Promise((grant) => {
      this.waiting.push({ cost: Math.max(0, cost), grant });
      this.pump();
    });
  }

  /** Records the outcome of the request holding `ticket`; `cost` is Shopify's, if it sent one. */
  settle(ticket: number, cost: QueryCost | null): void {
    const reserved = this.inFlight.get(ticket) ?? 0;
    this.inFlight.delete(ticket);
    const status = cost?.throttleStatus;
    if (status && Number.isFinite(status.currentlyAvailable) && status.restoreRate > 0) {
      // Shopify's figure already includes this request (and its refund); requests still in
      // flight may not have reached Shopify yet, so they stay reserved.
      let others = 0;
      for (const points of this.inFlight.values()) others += points;
      this.maximum = status.maximumAvailable;
      this.restoreRate = status.restoreRate;
      this.available = clamp(status.currentlyAvailable - others, 0, this.maximum);
      this.updatedAt = this.now();
      this.known = true;
    } else {
      // No answer from Shopify (network failure): the points were most likely never spent.
      this.refill();
      this.available = Math.min(this.maximum, this.available + reserved);
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.pump();
  }

  /** The model's current view (tests, benchmarks, logs). */
  snapshot() {
    this.refill();
    return {
      maximumAvailable: this.maximum,
      currentlyAvailable: this.available,
      restoreRate: this.restoreRate,
      inFlight: this.inFlight.size,
      waiting: this.waiting.length,
      known: this.known,
    };
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.available = Math.min(this.maximum, this.available + elapsed * this.restoreRate);
    this.updatedAt = now;
  }

  private pump(): void {
    if (this.timer) return;
    while (this.waiting.length > 0) {
      if (!this.known && this.inFlight.size > 0) return;
      const head = this.waiting[0]!;
      const need = Math.min(head.cost, this.maximum);
      this.refill();
      if (this.available + 1e-6 < need) {
        const waitMs = Math.max(1, Math.ceil(((need - this.available) / this.restoreRate) * 1000));
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, waitMs);
        return;
      }
      this.available -= need;
      const ticket = this.nextTicket++;
      this.inFlight.set(ticket, need);
      this.waiting.shift();
      head.grant(ticket);
    }
  }
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

const buckets = new Map<string, ShopBucket>();
const costEstimates = new Map<string, number>();

/** The process-wide bucket model of one shop (shared by every client of that shop). */
export function shopBucket(shop: string): ShopBucket {
  let bucket = buckets.get(shop);
  if (!bucket) {
    bucket = new ShopBucket();
    buckets.set(shop, bucket);
  }
  return bucket;
}

/** What the pacing saw in this process: benchmarks and tests read it. */
export const pacingStats = {
  requests: 0,
  /** THROTTLED answers (or HTTP 429) received and retried. */
  throttled: 0,
  /** 5xx / network failures received. */
  unavailable: 0,
  retries: 0,
  /** Time spent waiting for the bucket, summed over requests. */
  waitedMs: 0,
};

/** Forgets every bucket model, cost estimate and counter (tests and benchmarks). */
export function resetPacing(): void {
  buckets.clear();
  costEstimates.clear();
  for (const key of Object.keys(pacingStats) as Array<keyof typeof pacingStats>) pacingStats[key] = 0;
}

// ---------------------------------------------------------------------------------------------
// Normalising what the library (or a test double) gives back

type GraphqlError = { message?: string; extensions?: { code?: string } & Record<string, unknown> };
type Body = { data?: unknown; errors?: GraphqlError[] | string | Record<string, unknown>; extensions?: { cost?: QueryCost } };

type Outcome =
  | { kind: "ok"; data: unknown; cost: QueryCost | null }
  | { kind: "throttled"; cost: QueryCost | null; retryAfterMs: number | null }
  | { kind: "unavailable"; cost: QueryCost | null; detail: string }
  | { kind: "refused"; cost: QueryCost | null; error: unknown };

function costOf(body: Body | undefined): QueryCost | null {
  const cost = body?.extensions?.cost;
  return cost && typeof cost.requestedQueryCost === "number" && cost.throttleStatus ? cost : null;
}

function fromBody(body: Body): Outcome {
  const cost = costOf(body);
  const errors = Array.isArray(body.errors) ? body.errors : body.errors ? [{ message: JSON.stringify(body.errors) }] : [];
  if (errors.some((error) => error.extensions?.code === "THROTTLED")) return { kind: "throttled", cost, retryAfterMs: null };
  if (errors.some((error) => error.extensions?.code === "INTERNAL_SERVER_ERROR")) {
    return { kind: "unavailable", cost, detail: errors.map((error) => error.message).join("; ") };
  }
  if (errors.length > 0 || body.data === undefined || body.data === null) {
    const message = errors.map((error) => error.message ?? "").filter(Boolean).join("; ") || "no data";
    return { kind: "refused", cost, error: new ShopifyRequestError(`Shopify refused the request: ${message}`, errors) };
  }
  return { kind: "ok", data: body.data, cost };
}

async function fromResponse(response: Response): Promise<Outcome> {
  if (response.status === 429) return { kind: "throttled", cost: null, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) };
  if (response.status >= 500) return { kind: "unavailable", cost: null, detail: `HTTP ${response.status}` };
  let body: Body;
  try {
    body = (await response.json()) as Body;
  } catch {
    return response.ok
      ? { kind: "unavailable", cost: null, detail: "the answer was not JSON" }
      : { kind: "refused", cost: null, error: requestError(response.status, `HTTP ${response.status}`) };
  }
  if (!response.ok) {
    const detail = typeof body.errors === "string" ? body.errors : `HTTP ${response.status}`;
    return { kind: "refused", cost: null, error: requestError(response.status, detail) };
  }
  return fromBody(body);
}

function requestError(status: number, detail: string): ShopifyRequestError {
  const message =
    status === 401 || status === 403
      ? "Shopify refused Lightbox's access to this shop. Open Lightbox from your Shopify admin to reconnect it."
      : `Shopify refused the request (HTTP ${status}): ${detail}`;
  const error = new ShopifyRequestError(message, detail);
  error.shopifyStatus = status;
  return error;
}

function retryAfterMs(value: string | number | null | undefined): number | null {
  const seconds = typeof value === "number" ? value : value ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null;
}

/** Errors the library throws instead of returning: see @shopify/shopify-api's throwFailedRequest. */
async function fromThrown(thrown: unknown): Promise<Outcome> {
  // authenticate.admin's client turns HTTP errors into a Response (so Remix can answer with it).
  if (thrown instanceof Response) {
    if (thrown.status === 429) return { kind: "throttled", cost: null, retryAfterMs: retryAfterMs(thrown.headers.get("retry-after")) };
    if (thrown.status >= 500) return { kind: "unavailable", cost: null, detail: `HTTP ${thrown.status}` };
    return { kind: "refused", cost: null, error: thrown };
  }
  // HTTP 200 with `errors` (THROTTLED among them): the parsed body travels on the error.
  if (thrown instanceof GraphqlQueryError) {
    const body = thrown.body as { data?: unknown; extensions?: { cost?: QueryCost }; errors?: { graphQLErrors?: GraphqlError[] } } | undefined;
    return fromBody({ data: body?.data, extensions: body?.extensions, errors: body?.errors?.graphQLErrors ?? [{ message: thrown.message }] });
  }
  if (thrown instanceof HttpThrottlingError) {
    return { kind: "throttled", cost: null, retryAfterMs: retryAfterMs(thrown.response.retryAfter) };
  }
  if (thrown instanceof HttpResponseError) {
    if (thrown.response.code >= 500) return { kind: "unavailable", cost: null, detail: `HTTP ${thrown.response.code}` };
    const body = thrown.response.body as Body | undefined;
    return { kind: "refused", cost: null, error: requestError(thrown.response.code, typeof body?.errors === "string" ? body.errors : thrown.message) };
  }
  if (thrown instanceof HttpMaxRetriesError || thrown instanceof HttpRequestError) {
    return { kind: "unavailable", cost: null, detail: thrown.message };
  }
  // fetch() itself failed (connection refused, reset, DNS).
  if (thrown instanceof TypeError && /fetch/i.test(thrown.message)) {
    return { kind: "unavailable", cost: null, detail: String((thrown as { cause?: unknown }).cause ?? thrown.message) };
  }
  return { kind: "refused", cost: null, error: thrown };
}

// ---------------------------------------------------------------------------------------------
// The client

export type PacedRequestOptions = {
  /**
   * Whether sending the operation twice is harmless. Queries are; mutations are not unless the
   * caller says so (a 5xx after a mutation may mean it ran). Only safe operations are retried
   * after a 5xx or a network failure; THROTTLED is always retried (Shopify did not run it).
   */
  idempotent?: boolean;
  signal?: AbortSignal;
};

export type PacedClient = {
  readonly shop: string;
  /** Runs one operation and returns its `data`; throws ShopifyRequestError / ShopifyUnavailableError / ShopifyBusyError. */
  request<T>(query: string, variables?: Record<string, unknown>, options?: PacedRequestOptions): Promise<T>;
};

export type PacedClientOptions = {
  /** 5xx / network retries for safe operations (default 5). */
  maxServerRetries?: number;
  /** Backoff base and cap for 5xx retries (default 500 ms, 8 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest time one request keeps retrying THROTTLED answers before giving up (default 10 min). */
  maxThrottledMs?: number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
};

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

function isMutation(query: string): boolean {
  const code = query.replace(/#[^\n]*/g, "").trimStart();
  return code.startsWith("mutation");
}

/** Wraps `graphql` (the library's admin.graphql, or a test double) for `shop`. */
export function pacedClient(shop: string, graphql: AdminGraphql, options: PacedClientOptions = {}): PacedClient {
  const maxServerRetries = options.maxServerRetries ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 8_000;
  const maxThrottledMs = options.maxThrottledMs ?? 600_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;

  return {
    shop,
    async request<T>(query: string, variables?: Record<string, unknown>, requestOptions: PacedRequestOptions = {}): Promise<T> {
      const safe = requestOptions.idempotent ?? !isMutation(query);
      const started = now();
      let failures = 0;
      for (let attempt = 0; ; attempt++) {
        requestOptions.signal?.throwIfAborted();
        if (attempt > 0) pacingStats.retries++;
        const bucket = shopBucket(shop);
        const queuedAt = now();
        const ticket = await bucket.acquire(costEstimates.get(query) ?? DEFAULT_COST_ESTIMATE);
        pacingStats.waitedMs += now() - queuedAt;
        pacingStats.requests++;
        let outcome: Outcome;
        try {
          outcome = await fromResponse(await graphql(query, variables ? { variables } : undefined));
        } catch (thrown) {
          outcome = await fromThrown(thrown);
        }
        bucket.settle(ticket, outcome.cost);
        if (outcome.cost) costEstimates.set(query, outcome.cost.requestedQueryCost);

        switch (outcome.kind) {
          case "ok":
            return outcome.data as T;
          case "refused":
            throw outcome.error;
          case "throttled": {
            pacingStats.throttled++;
            if (now() - started > maxThrottledMs) {
              throw new ShopifyBusyError("Shopify is busy with this shop right now. Lightbox will try again in a moment.", null);
            }
            // The bucket model now holds Shopify's numbers, so the next acquire waits as long as
            // they require; a little jitter keeps concurrent retries from arriving together.
            await sleep(outcome.retryAfterMs ?? Math.round(20 + random() * 80), requestOptions.signal);
            continue;
          }
          case "unavailable": {
            pacingStats.unavailable++;
            failures++;
            if (!safe || failures > maxServerRetries) {
              throw new ShopifyUnavailableError(`Shopify did not answer properly (${outcome.detail}). Lightbox will try again.`, null);
            }
            const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1));
            await sleep(Math.round(ceiling / 2 + random() * (ceiling / 2)), requestOptions.signal);
            continue;
          }
        }
      }
    },
  };
}

/**
 * For a request someone is waiting on (an admin page, an API call): gives up on a throttled shop
 * after 20 s, so the answer is "Shopify is busy" rather than a page that never loads.
 */
export function interactiveClient(shop: string, graphql: AdminGraphql): PacedClient {
  return pacedClient(shop, graphql, { maxThrottledMs: 20_000 });
}
