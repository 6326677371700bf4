// Publish benchmark: `npm run bench -- publish` (node tests/bench/run.ts publish).
//
// 200 images onto 100 products (two per product: one as the featured image, one appended), on the
// local Shopify simulator at the Standard plan's limits (bucket 2000 points, 100 points/s, the
// simulator's defaults), through the app's real path: requestPublish -> Job rows -> embedded queue
// (JOB_CONCURRENCY, default 16) -> publish job -> paced client -> the library's Admin client
// (unauthenticated.admin) -> simulator, which downloads each presigned original from the app's
// /files route and processes it.
//
// Lower bound. Shopify's bucket drains by the *actual* cost of each call (the requested cost is
// held only while a call runs; the difference is refunded at once), refills at R points/s and
// starts full at B points. No client can spend C points in less than (C - B) / R seconds. The last
// image still has to be processed by Shopify after its upload call (d = uploaded + processing
// delay) before any poll can see READY, so
//     bound = max(0, (C - B) / R) + d,     ratio = wall / bound   (target <= 1.1)
// where C is the actual cost the run spent (the simulator's pointsSpent). Using the *requested*
// total instead would inflate the bound (gallery reads ask for ~103 points and use ~7), so it is
// printed for reference only.
//
// The simulator's media delays are shortened (uploaded 20 ms, processing 60 ms instead of 100 /
// 300 ms) so the run takes ~half a minute; with the defaults d grows by 0.3 s and the bound by as
// much. 200 Asset rows share 8 ingested images (the benchmark measures publishing, not ingest).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { startFilesServer } from "./support/files-server";

const PRODUCTS = 100;
const IMAGES_PER_PRODUCT = 2;
const DISTINCT_IMAGES = 8;
const MEDIA_DELAYS = { uploadedMs: 20, processingMs: 60 };
const RATIO_TARGET = 1.1;
const BENCH_SHOP = "bench-store.myshopify.com";

export async function run(args: string[]): Promise<void> {
  // App modules use TypeScript parameter properties, which plain type stripping refuses.
  if (!process.execArgv.includes("--experimental-transform-types")) {
    const runner = path.join(path.dirname(fileURLToPath(import.meta.url)), "run.ts");
    const child = spawn(process.execPath, ["--experimental-transform-types", "--no-warnings", runner, "publish", ...args], { stdio: "inherit" });
    const code = await new Promise<number>((resolve) => child.on("exit", (exit) => resolve(exit ?? 1)));
    process.exit(code);
  }
  await bench();
  process.exit(0);
}

async function bench() {
  const started = performance.now();
  const dataDir = mkdtempSync(path.join(tmpdir(), "lightbox-bench-publish-"));

  // The app's /files route, for Shopify to download originals from (its URL is the app's URL).
  const files = await startFilesServer();
  const { appUrl } = files;

  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: "memory://",
    DATA_DIR: dataDir,
    SHOPIFY_API_KEY: "bench-key",
    SHOPIFY_API_SECRET: "bench-secret",
    SHOPIFY_APP_URL: appUrl,
    ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 3).toString("base64")}`,
  });
  delete process.env.SHOPIFY_SIMULATOR_URL;
  delete process.env.REDIS_URL;
  delete process.env.GEMINI_API_KEY;

  const { startSimulator } = await import("@lightbox/shopify-simulator");
  const { Session } = await import("@shopify/shopify-api");
  const sharp = (await import("sharp")).default;
  const { db } = await import("~/db.server");
  const { env } = await import("~/env.server");
  const { routeShopifyToSimulator } = await import("~/dev/shopify-simulator.server");
  const { ingestAsset } = await import("~/assets/ingest-asset.server");
  const { createEmbeddedQueue } = await import("~/jobs/embedded-queue.server");
  const { setJobQueue } = await import("~/jobs/queue.server");
  const { requestPublish } = await import("~/publish/request-publish.server");
  const { pacingStats } = await import("~/shopify-admin/paced-client.server");
  const { connectAdminClients, sessionStorage } = await import("~/shopify.server");
  connectAdminClients();
  const { registerShop } = await import("~/shops/register-shop.server");
  const { appStorage } = await import("~/storage/from-env.server");
  const { loader } = await import("~/routes/files.$");
  files.serve = (request) => loader({ request, params: {}, context: {} });

  const sim = await startSimulator({ apiKey: "bench-key", apiSecret: "bench-secret", appUrl, mediaDelays: MEDIA_DELAYS });
  routeShopifyToSimulator(sim.url);
  const { bucketSize, restoreRate } = sim.options;
  sim.createShop({
    domain: BENCH_SHOP,
    products: Array.from({ length: PRODUCTS }, (_, i) => ({
      title: `Bench product ${String(i + 1).padStart(3, "0")}`,
      vendor: "Bench",
      productType: "Test",
      photos: [{ shape: "mug" as const, color: "#c0533a", background: "#f5f5f5", alt: `Product ${i + 1} photo` }],
    })),
  });
  const token = sim.issueAccessToken(BENCH_SHOP, { expiring: false });
  await sessionStorage.storeSession(
    new Session({ id: `offline_${BENCH_SHOP}`, shop: BENCH_SHOP, state: "installed", isOnline: false, scope: token.scope, accessToken: token.access_token }),
  );
  const shop = await registerShop(db, BENCH_SHOP, { name: "Bench store" });
  const products = [...sim.shop(BENCH_SHOP).products.values()].map((p) => `gid://shopify/Product/${p.id}`);

  // 8 real images through the ingest pipeline, then 200 Asset rows for the products.
  const storage = appStorage();
  const seeds = [];
  for (let i = 0; i < DISTINCT_IMAGES; i++) {
    const bytes = await sharp({ create: { width: 1024, height: 1280, channels: 3, background: { r: 240 - i * 10, g: 236, b: 228 } } })
      .composite([{ input: Buffer.from(`<svg width="1024" height="1280"><circle cx="512" cy="700" r="${220 + i * 10}" fill="rgb(${40 + i * 20},90,120)"/></svg>`) }])
      .jpeg({ quality: 85 })
      .toBuffer();
    seeds.push((await ingestAsset({ db, storage, shopId: shop.id, kind: "generated", bytes, declaredType: "image/jpeg" })).asset);
  }
  const perProduct: string[][] = [];
  for (const [p, productId] of products.entries()) {
    const ids: string[] = [];
    for (let k = 0; k < IMAGES_PER_PRODUCT; k++) {
      const seed = seeds[(p * IMAGES_PER_PRODUCT + k) % seeds.length]!;
      const { id: _id, createdAt: _c, updatedAt: _u, metadata: _m, generationId: _g, variantIndex: _v, ...copy } = seed;
      ids.push((await db.asset.create({ data: { ...copy, productId } })).id);
    }
    perProduct.push(ids);
  }
  const setupSeconds = (performance.now() - started) / 1000;

  const concurrency = env().jobConcurrency;
  const queue = createEmbeddedQueue(db, { concurrency, pollMs: 50 });
  setJobQueue(queue);
  await queue.start();
  const counters = sim.state.counters;
  const before = { throttled: counters.throttled, pointsSpent: counters.pointsSpent, requests: counters.graphqlRequests, log: sim.state.graphqlLog.length };

  const t0 = performance.now();
  const jobIds: string[] = [];
  for (const [p, productId] of products.entries()) {
    const [featured, appended] = perProduct[p]!;
    const { jobId } = await requestPublish(db, {
      shopId: shop.id,
      productId,
      items: [
        { assetId: featured!, altText: `Studio shot ${p + 1}, featured`, placement: { kind: "position", position: 0 } },
        { assetId: appended!, altText: `Lifestyle shot ${p + 1}`, placement: { kind: "append" } },
      ],
    });
    jobIds.push(jobId!);
  }
  for (;;) {
    const open = await db.job.count({ where: { id: { in: jobIds }, status: { in: ["queued", "running"] } } });
    if (open === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const wall = (performance.now() - t0) / 1000;
  await queue.stop();

  // Outcomes.
  const jobs = await db.job.findMany({ where: { id: { in: jobIds } } });
  const publications = await db.publication.findMany({ where: { shopId: shop.id } });
  const ready = publications.filter((p) => p.status === "ready").length;
  const mentionsThrottle = (text: string | null) => Boolean(text && /throttl|busy|rate limit/i.test(text));
  const throttledReachingJobs =
    jobs.filter((job) => job.attempts > 1 || job.status !== "succeeded" || mentionsThrottle(job.message)).length +
    publications.filter((p) => mentionsThrottle(p.errorMessage)).length;
  const simGalleriesOk = products.every((productId) => {
    const s = sim.shop(BENCH_SHOP);
    const product = s.products.get(Number(productId.split("/").pop()))!;
    const media = product.mediaIds.map((id) => s.media.get(id)!);
    return media.length === 3 && media[0]!.alt.endsWith("featured") && media.every((m) => m.status === "READY");
  });

  const actual = counters.pointsSpent - before.pointsSpent;
  const log = sim.state.graphqlLog.slice(before.log);
  const requested = log.filter((e) => e.outcome === "ok").reduce((sum, e) => sum + (e.requestedQueryCost ?? 0), 0);
  const requests = counters.graphqlRequests - before.requests;
  const throttledSeen = counters.throttled - before.throttled;
  const processing = (MEDIA_DELAYS.uploadedMs + MEDIA_DELAYS.processingMs) / 1000;
  const bound = Math.max(0, (actual - bucketSize) / restoreRate) + processing;
  const ratio = wall / bound;
  const byOperation = new Map<string, { n: number; actual: number }>();
  for (const entry of log) {
    const key = `${entry.operationName ?? "?"}${entry.outcome === "ok" ? "" : ` (${entry.outcome})`}`;
    const row = byOperation.get(key) ?? { n: 0, actual: 0 };
    row.n++;
    row.actual += entry.actualQueryCost ?? 0;
    byOperation.set(key, row);
  }

  console.log(`publish bench: ${PRODUCTS} products x ${IMAGES_PER_PRODUCT} images, bucket ${bucketSize} points, restore ${restoreRate}/s, job concurrency ${concurrency}`);
  console.log(`  setup ${setupSeconds.toFixed(1)} s (simulator, ${DISTINCT_IMAGES} ingested images, ${PRODUCTS * IMAGES_PER_PRODUCT} asset rows); media delays ${MEDIA_DELAYS.uploadedMs}+${MEDIA_DELAYS.processingMs} ms`);
  console.log(`  published ${ready}/${PRODUCTS * IMAGES_PER_PRODUCT} (galleries as asked: ${simGalleriesOk ? "yes" : "NO"}), jobs succeeded first try ${jobs.filter((j) => j.status === "succeeded" && j.attempts === 1).length}/${jobs.length}`);
  console.log(`  requests ${requests}; cost actual ${actual} points, requested ${requested}${log.length >= 2000 ? " (log capped)" : ""}`);
  for (const [name, row] of [...byOperation.entries()].sort()) console.log(`    ${name.padEnd(36)} ${String(row.n).padStart(5)} calls  ${String(row.actual).padStart(6)} points`);
  console.log(`  wall ${wall.toFixed(2)} s; bound max(0, (${actual} - ${bucketSize}) / ${restoreRate}) + ${processing.toFixed(2)} = ${bound.toFixed(2)} s`);
  console.log(`  ratio ${ratio.toFixed(3)} (target <= ${RATIO_TARGET}) ${ratio <= RATIO_TARGET ? "OK" : "MISSED"}`);
  console.log(`  THROTTLED responses seen ${throttledSeen} (client retried ${pacingStats.throttled}); reaching a job's outcome ${throttledReachingJobs} (target 0) ${throttledReachingJobs === 0 ? "OK" : "MISSED"}`);
  console.log(`  waited for the bucket: ${(pacingStats.waitedMs / 1000).toFixed(1)} s summed over ${pacingStats.requests} requests`);

  await sim.stop();
  files.close();
  rmSync(dataDir, { recursive: true, force: true });
}
