// Many publishes against a small bucket: the jobs share one pace per shop, so Shopify's
// THROTTLED answers stay rare, and the ones that happen (another process drains the same bucket)
// are retried inside the client: none reaches a job or a merchant.
import { adminGraphql } from "@lightbox/shopify-simulator/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { requestPublish } from "~/publish/request-publish.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { pacedClient, pacingStats, resetPacing } from "~/shopify-admin/paced-client.server";

import { installShop, makeAsset, productIds, settleJobs, SHOP, simGallery, startHarness, type PublishHarness } from "./support";

let h: PublishHarness;
let shopId: string;

beforeAll(async () => {
  // A development-store-sized bucket: the gallery read alone asks for 103 points.
  h = await startHarness({ bucketSize: 250, restoreRate: 120 }, { concurrency: 6 });
  shopId = (await installShop(h.sim)).id;
});
afterAll(async () => {
  await h.stop();
});

async function publishTwoEach(products: string[], prefix: string) {
  const jobs: string[] = [];
  for (const productId of products) {
    const [a, b] = [await makeAsset(h.storage, shopId, productId), await makeAsset(h.storage, shopId, productId)];
    const { jobId } = await requestPublish(db, {
      shopId,
      productId,
      items: [
        { assetId: a.id, altText: `${prefix} A`, placement: { kind: "position", position: 0 } },
        { assetId: b.id, altText: `${prefix} B`, placement: { kind: "append" } },
      ],
    });
    jobs.push(jobId!);
  }
  return jobs;
}

async function expectAllPublished(jobs: string[], products: string[], prefix: string) {
  const rows = await db.job.findMany({ where: { id: { in: jobs } } });
  expect(rows.map((job) => [job.status, job.attempts, job.message])).toEqual(rows.map(() => ["succeeded", 1, null]));
  const publications = await db.publication.findMany({ where: { jobId: { in: jobs } } });
  expect(publications).toHaveLength(products.length * 2);
  expect(publications.filter((p) => p.status !== "ready" || p.errorMessage)).toEqual([]);
  for (const productId of products) {
    const gallery = simGallery(h.sim, productId);
    expect(gallery[0]).toMatchObject({ alt: `${prefix} A`, status: "READY" });
    expect(gallery.at(-1)).toMatchObject({ alt: `${prefix} B`, status: "READY" });
  }
}

describe("throttling", () => {
  it("GIVEN a 250-point bucket and 24 images for 12 products on 6 workers THEN all publish, paced so Shopify throttles nothing", async () => {
    resetPacing();
    const products = productIds(h.sim);
    const before = h.sim.state.counters.throttled;
    const jobs = await publishTwoEach(products, "Paced");
    await settleJobs(h.queue);
    await expectAllPublished(jobs, products, "Paced");
    expect(h.sim.state.counters.throttled - before).toBe(0);
    expect(pacingStats.throttled).toBe(0);
    // It did have to wait: far more points were asked for than the bucket holds.
    const spent = h.sim.state.graphqlLog.filter((entry) => entry.outcome === "ok").reduce((sum, entry) => sum + (entry.requestedQueryCost ?? 0), 0);
    expect(spent).toBeGreaterThan(1_000);
    expect(pacingStats.waitedMs).toBeGreaterThan(0);
  });

  it("GIVEN another process draining the same bucket THEN Shopify throttles, the client retries, and no job sees it", async () => {
    resetPacing();
    const more = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        h.sim.addProduct(SHOP, { title: `Drained ${i}`, vendor: "Test", productType: "Test", photos: [{ shape: "mug", color: "#884422", background: "#ffffff", alt: `Drained ${i} photo` }] }),
      ),
    );
    const products = more.map((product) => `gid://shopify/Product/${product.id}`);
    const before = h.sim.state.counters.throttled;
    // The other process: same app, same shop, same bucket. Now and then it spends everything
    // there is (until Shopify throttles it), so our pace model is wrong until the next answer.
    const token = h.sim.issueAccessToken(SHOP, { expiring: false }).access_token;
    const drainBucket = async () => {
      for (let i = 0; i < 50; i++) {
        const { body } = await adminGraphql(h.sim, token, `query Drain { products(first: 20) { nodes { id title } } }`);
        if (Array.isArray(body.errors)) return;
      }
    };
    const jobs = await publishTwoEach(products, "Contended");
    const running = settleJobs(h.queue);
    for (let round = 0; round < 30 && pacingStats.throttled === 0; round++) {
      await drainBucket();
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await running;
    await settleJobs(h.queue);

    await expectAllPublished(jobs, products, "Contended");
    expect(h.sim.state.counters.throttled - before).toBeGreaterThan(0);
    expect(pacingStats.throttled).toBeGreaterThan(0);
  });

  it("GIVEN the library's own client (unauthenticated.admin) and 40 concurrent queries through one pace THEN every one answers, none throttled", async () => {
    resetPacing();
    const before = h.sim.state.counters.throttled;
    const client = pacedClient(SHOP, adminGraphqlFor(SHOP));
    const query = `#graphql
      query Titles { products(first: 10) { nodes { id title } } }`;
    const results = await Promise.all(Array.from({ length: 40 }, () => client.request<{ products: { nodes: unknown[] } }>(query)));
    expect(results.every((result) => result.products.nodes.length === 10)).toBe(true);
    expect(h.sim.state.counters.throttled - before).toBe(0);
  });
});
