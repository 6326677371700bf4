// The paced Admin GraphQL client against doubles that answer in each shape the library produces:
// a returned Response, GraphqlQueryError (HTTP 200 with errors, THROTTLED among them), the HTTP
// errors of @shopify/shopify-api, and the Response authenticate.admin's client throws.
import { LeakyBucket } from "@lightbox/shopify-simulator/bucket";
import { GraphqlQueryError, HttpInternalError, HttpResponseError } from "@shopify/shopify-api";
import { beforeEach, describe, expect, it } from "vitest";

import type { AdminGraphql } from "~/shopify-admin/graphql.server";
import {
  pacedClient,
  pacingStats,
  resetPacing,
  ShopBucket,
  ShopifyRequestError,
  ShopifyUnavailableError,
} from "~/shopify-admin/paced-client.server";

const QUERY = `#graphql
  query Probe { shop { name } }`;
const MUTATION = `#graphql
  mutation Change { productUpdate(product: { id: "gid://shopify/Product/1" }) { userErrors { message } } }`;

const noSleep = { sleep: async () => undefined, random: () => 0.5 };

let shopCounter = 0;
const freshShop = () => `paced-${++shopCounter}.myshopify.com`;

function cost(requested: number, available: number, max = 1000, rate = 50) {
  return { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: { maximumAvailable: max, currentlyAvailable: available, restoreRate: rate } };
}
const ok = (data: unknown, extensions = cost(1, 999)) => new Response(JSON.stringify({ data, extensions }));

/** A double that answers with the scripted outcomes in turn and counts calls. */
function scripted(...steps: Array<() => Response | Promise<Response>>) {
  let calls = 0;
  const graphql: AdminGraphql = async () => {
    const step = steps[Math.min(calls, steps.length - 1)]!;
    calls++;
    return step();
  };
  return { graphql, calls: () => calls };
}

const throttledError = (available: number, rate: number) =>
  new GraphqlQueryError({
    message: "Throttled",
    response: {},
    headers: {},
    body: {
      errors: { networkStatusCode: 200, message: "GraphQL Client: An error occurred while fetching from the API.", graphQLErrors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] },
      extensions: { cost: { requestedQueryCost: 40, actualQueryCost: null, throttleStatus: { maximumAvailable: 100, currentlyAvailable: available, restoreRate: rate } } },
    } as never,
  });

beforeEach(() => resetPacing());

describe("retries", () => {
  it("GIVEN a THROTTLED answer (GraphqlQueryError, as the library throws it) THEN it waits what the restore rate needs and retries", async () => {
    const double = scripted(
      () => {
        throw throttledError(0, 200);
      },
      () => ok({ shop: { name: "Demo" } }),
    );
    const started = Date.now();
    const data = await pacedClient(freshShop(), double.graphql).request<{ shop: { name: string } }>(QUERY);
    expect(data.shop.name).toBe("Demo");
    expect(double.calls()).toBe(2);
    expect(pacingStats.throttled).toBe(1);
    // 40 points at 200/s: about 200 ms before the retry may go.
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });

  it("GIVEN HTTP 429 (HttpThrottlingError path, here a plain 429 Response) THEN retried after Retry-After", async () => {
    const double = scripted(
      () => new Response("{}", { status: 429, headers: { "retry-after": "0.05" } }),
      () => ok({ shop: { name: "Demo" } }),
    );
    await pacedClient(freshShop(), double.graphql).request(QUERY);
    expect(double.calls()).toBe(2);
  });

  it("GIVEN 5xx on a query (HttpInternalError, and a thrown 502 Response from authenticate.admin) THEN retried with backoff", async () => {
    const double = scripted(
      () => {
        throw new HttpInternalError({ message: "Shopify internal error", code: 503, statusText: "Service Unavailable", body: {}, headers: {} });
      },
      () => {
        throw new Response("Bad gateway", { status: 502 });
      },
      () => ok({ shop: { name: "Demo" } }),
    );
    const sleeps: number[] = [];
    const client = pacedClient(freshShop(), double.graphql, { ...noSleep, sleep: async (ms) => void sleeps.push(ms) });
    await client.request(QUERY);
    expect(double.calls()).toBe(3);
    expect(sleeps).toEqual([375, 750]); // 500 ms then 1 s ceilings, half plus jitter (random 0.5)
  });

  it("GIVEN 5xx on a mutation THEN not repeated (it may have run) unless the caller says it is idempotent", async () => {
    const failing = () => {
      throw new HttpInternalError({ message: "Shopify internal error", code: 500, statusText: "Internal Server Error", body: {}, headers: {} });
    };
    const once = scripted(failing, () => ok({ productUpdate: { userErrors: [] } }));
    await expect(pacedClient(freshShop(), once.graphql, noSleep).request(MUTATION)).rejects.toBeInstanceOf(ShopifyUnavailableError);
    expect(once.calls()).toBe(1);

    const twice = scripted(failing, () => ok({ productUpdate: { userErrors: [] } }));
    await pacedClient(freshShop(), twice.graphql, noSleep).request(MUTATION, undefined, { idempotent: true });
    expect(twice.calls()).toBe(2);
  });

  it("GIVEN 5xx that never ends THEN ShopifyUnavailableError (retryable) after the retry budget", async () => {
    const double = scripted(() => new Response("oops", { status: 500 }));
    const error = await pacedClient(freshShop(), double.graphql, { ...noSleep, maxServerRetries: 3 }).request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyUnavailableError);
    expect((error as ShopifyUnavailableError).retryable).toBe(true);
    expect(double.calls()).toBe(4);
  });

  it("GIVEN 401 (HttpResponseError) THEN a non-retryable error that says how to reconnect, after one call", async () => {
    const double = scripted(() => {
      throw new HttpResponseError({ message: "Unauthorized", code: 401, statusText: "Unauthorized", body: { errors: "[API] Invalid API key or access token" }, headers: {} });
    });
    const error = await pacedClient(freshShop(), double.graphql, noSleep).request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyRequestError);
    expect((error as Error).message).toMatch(/Open Lightbox from your Shopify admin to reconnect/);
    expect(double.calls()).toBe(1);
  });

  it("GIVEN GraphQL errors other than THROTTLED (e.g. an invalid field) THEN refused at once", async () => {
    const double = scripted(() => new Response(JSON.stringify({ errors: [{ message: "Field 'x' doesn't exist on type 'Shop'", extensions: { code: "undefinedField" } }] })));
    await expect(pacedClient(freshShop(), double.graphql, noSleep).request(QUERY)).rejects.toThrow("Field 'x' doesn't exist on type 'Shop'");
    expect(double.calls()).toBe(1);
  });
});

describe("pacing", () => {
  it("GIVEN a 100-point bucket restoring 1000/s and 20 concurrent 30-point queries THEN none is throttled and the wait is what the bucket needs", async () => {
    let now = Date.now();
    const server = new LeakyBucket(100, 1000, Date.now());
    let throttled = 0;
    const graphql: AdminGraphql = async () => {
      now = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (!server.tryTake(30, now)) {
        throttled++;
        return new Response(JSON.stringify({ errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost: { requestedQueryCost: 30, actualQueryCost: null, throttleStatus: server.status(Date.now()) } } }));
      }
      return new Response(JSON.stringify({ data: { ok: true }, extensions: { cost: { requestedQueryCost: 30, actualQueryCost: 30, throttleStatus: server.status(Date.now()) } } }));
    };
    const client = pacedClient(freshShop(), graphql);
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => client.request(QUERY)));
    const elapsed = Date.now() - started;
    expect(throttled).toBe(0);
    // 600 points through a 100-point bucket at 1000/s: at least 0.5 s, and not much more.
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(1_500);
  });

  it("GIVEN a shop's first request THEN it goes alone (probe) until Shopify's numbers are known", async () => {
    const bucket = new ShopBucket();
    const first = await bucket.acquire(10);
    let second = false;
    void bucket.acquire(10).then(() => (second = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second).toBe(false);
    bucket.settle(first, cost(10, 990, 1000, 50));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(second).toBe(true);
    expect(bucket.snapshot()).toMatchObject({ known: true, maximumAvailable: 1000, restoreRate: 50 });
  });

  it("GIVEN requests still in flight WHEN an answer reports the bucket THEN their points stay reserved", async () => {
    const bucket = new ShopBucket();
    bucket.settle(await bucket.acquire(1), cost(1, 100, 100, 10));
    const a = await bucket.acquire(40);
    await bucket.acquire(40);
    // `a` comes back: Shopify says 60 left (it may not have seen the second yet): 60 - 40 = 20.
    bucket.settle(a, cost(40, 60, 100, 10));
    expect(Math.floor(bucket.snapshot().currentlyAvailable)).toBe(20);
  });
});
