// Calculated query cost and the leaky bucket: every response reports its cost; a burst beyond the
// bucket is THROTTLED and recovers at the restore rate. Time is driven by a fake clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator } from "../src/index.ts";
import type { RunningSimulator } from "../src/index.ts";
import { adminGraphql, DEMO_SHOP, firstErrorCode } from "../src/test-helpers.ts";

let now = 1_800_000_000_000;
let sim: RunningSimulator;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ clock: () => now });
});
afterAll(() => sim.stop());
beforeEach(() => {
  sim.reset();
  token = sim.issueAccessToken(DEMO_SHOP, { expiring: false }).access_token;
});

describe("calculated query cost", () => {
  it("GIVEN the default Standard-plan limits THEN throttleStatus reports a 2000-point bucket restoring 100/s", async () => {
    const { body } = await adminGraphql(sim, token, `{ shop { name } }`);
    expect(body.extensions?.cost).toEqual({
      requestedQueryCost: 1,
      actualQueryCost: 1,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 },
    });
  });

  it("GIVEN nested connections THEN requested = 2 + first x (1 + children) and actual counts the nodes returned", async () => {
    // products: 2 + 5 x (product 1 + media 2 + 3 x (media 1 + image 1)) = 47
    const query = `{ products(first: 5) { nodes { id media(first: 3) { nodes { ... on MediaImage { id image { url } } } } } } }`;
    const { body } = await adminGraphql<{ products: { nodes: { media: { nodes: unknown[] } }[] } }>(sim, token, query);
    expect(body.extensions?.cost.requestedQueryCost).toBe(47);
    const returned = body.data?.products.nodes ?? [];
    const expectedActual = 2 + returned.length * (1 + 2 + Math.max(...returned.map((p) => p.media.nodes.length)) * 2);
    expect(body.extensions?.cost.actualQueryCost).toBe(expectedActual);
    // Only the actual cost stays spent: the difference is refunded.
    expect(body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(2000 - expectedActual);
  });

  it("GIVEN a mutation THEN it costs 10 plus the input costs the schema documents (1.9 per productSet file)", async () => {
    const product = [...sim.shop(DEMO_SHOP).products.values()][0];
    const mediaIds = product?.mediaIds ?? [];
    const files = mediaIds.map((id) => ({ id: `gid://shopify/MediaImage/${id}` }));
    const { body } = await adminGraphql(
      sim,
      token,
      `mutation Set($id: ID!, $files: [FileSetInput!]) { productSet(identifier: { id: $id }, input: { files: $files }) { product { id } userErrors { message } } }`,
      { id: `gid://shopify/Product/${product?.id ?? 0}`, files },
    );
    expect(files.length).toBe(3);
    expect(body.extensions?.cost.requestedQueryCost).toBe(Math.ceil(10 + 1.9 * 3));
  });
});

describe("leaky bucket", () => {
  it("GIVEN a burst beyond the bucket THEN THROTTLED exactly like Shopify, and the bucket refills at the restore rate", async () => {
    // 2 + 12 x (1 + 2 + 3 x 1) = 74 requested; the demo shop has 12 products with up to 3 photos,
    // so the actual cost is 74 as well and nothing is refunded.
    const query = `{ products(first: 12) { nodes { id media(first: 3) { nodes { id } } } } }`;
    const costs: number[] = [];
    let throttled: Awaited<ReturnType<typeof adminGraphql>> | undefined;
    for (let i = 0; i < 60 && !throttled; i++) {
      const response = await adminGraphql(sim, token, query);
      if (Array.isArray(response.body.errors)) throttled = response;
      else costs.push(response.body.extensions?.cost.actualQueryCost ?? 0);
    }
    expect(costs).toEqual(new Array(27).fill(74));
    const available = 2000 - 27 * 74; // 2
    expect(throttled?.status).toBe(200);
    expect(throttled?.body).toEqual({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
      extensions: {
        cost: { requestedQueryCost: 74, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 } },
      },
    });
    expect(sim.state.counters.throttled).toBe(1);

    // 0.5 s later: 2 + 50 points, still not enough for 74...
    now += 500;
    const soon = await adminGraphql(sim, token, query);
    expect(firstErrorCode(soon.body)).toBe("THROTTLED");
    expect(soon.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(52);

    // ... 0.22 s more (restore rate 100/s) and the bucket holds 74: served.
    now += 220;
    const later = await adminGraphql(sim, token, query);
    expect(later.body.errors).toBeUndefined();
    expect(later.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(0);
    expect(sim.state.counters.throttled).toBe(2);
  });

  it("GIVEN an idle app THEN the bucket never holds more than its maximum", async () => {
    now += 3_600_000;
    const { body } = await adminGraphql(sim, token, `{ shop { id } }`);
    expect(body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(1999);
  });

  it("GIVEN custom limits (bucketSize, restoreRate) THEN they are used", async () => {
    const small = await startSimulator({ bucketSize: 50, restoreRate: 5, clock: () => now });
    try {
      const smallToken = small.issueAccessToken(DEMO_SHOP).access_token;
      const first = await adminGraphql(small, smallToken, `{ products(first: 40) { nodes { id } } }`);
      expect(first.body.extensions?.cost.throttleStatus).toEqual({ maximumAvailable: 50, currentlyAvailable: 36, restoreRate: 5 });
      const second = await adminGraphql(small, smallToken, `{ products(first: 40) { nodes { id } } }`);
      expect(firstErrorCode(second.body)).toBe("THROTTLED");
    } finally {
      await small.stop();
    }
  });
});

describe("injected faults (chaos tests)", () => {
  it("GIVEN faults queued THEN the next Admin API requests get them in order (429 with Retry-After, 503), then service resumes", async () => {
    sim.injectAdminFaults({ status: 429, retryAfterSeconds: 2 }, { status: 503 });
    const first = await adminGraphql(sim, token, `{ shop { name } }`);
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("2");
    expect(first.body).toEqual({ errors: expect.stringMatching(/Exceeded 2 calls per second/) });
    expect((await adminGraphql(sim, token, `{ shop { name } }`)).status).toBe(503);
    expect((await adminGraphql(sim, token, `{ shop { name } }`)).status).toBe(200);
    expect(sim.state.counters.faultsInjected).toBe(2);
  });
});

