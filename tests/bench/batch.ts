// Batch benchmark: `npm run bench -- batch [products]` (node tests/bench/run.ts batch).
//
// A catalogue batch of N products (default 500) x 1 image through the app's real path:
// createBatch -> BatchItem rows -> batch.item jobs (product photo from Shopify's CDN, one
// generation each: debit + job) -> generation jobs through the real @google/genai SDK -> publish
// jobs (featured, with Gemini alt text) -> batch completed. Embedded queue (JOB_CONCURRENCY) on
// PGlite in this process; the local Shopify and the Gemini fake run in processes of their own, so
// their work is not the app's.
//
// The limits are the ones a merchant lives with: Gemini answers 429 past GEMINI_IPM images a
// minute (the fake enforces a rolling minute, as Google does; Lightbox is configured with the same
// quota), each call takes GEMINI_LATENCY_MS; Shopify's bucket is the Standard plan's (2000 points,
// 100 points/s) unless BENCH_RESTORE_RATE says otherwise.
//
// Bound: at the quota's sustained rate no client gets N images out of Gemini in less than
// N / IPM minutes (+ one call's latency), nor spends C points of Shopify's bucket in less than
// (C - B) / R seconds (C: what the run actually spent; the last image then still needs Shopify's
// processing, d). The bound is the larger:
//     bound = max(N / IPM * 60 + latency, max(0, (C - B) / R) + d),   ratio = wall / bound  (<= 1.05)
// A rolling minute lets a client fire the first minute's IPM calls at once, so the absolute floor
// is (ceil(N / IPM) - 1) minutes + latency (printed too); reaching it needs IPM calls in flight at
// once, one worker slot each. Lightbox keeps a window of 1.5 x Little's law instead (ADR 0056), so
// it gains at most the first minute's head start: a ratio a little under 1 is that head start.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { startFilesServer } from "./support/files-server";

const here = path.dirname(fileURLToPath(import.meta.url));
const SHOP = "bench-batch.myshopify.com";
const TOKEN = "shpat_bench_batch";
const RATIO_TARGET = 1.05;
const MEDIA_DELAYS = { uploadedMs: 20, processingMs: 60 };

/** A child process running `script` (an ES module) that prints its URL on the first line. */
async function child(script: string): Promise<{ url: string; process: ChildProcess }> {
  const proc = spawn(process.execPath, ["--experimental-transform-types", "--no-warnings", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_ENV: "test" },
  });
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim().split("\n")[0]!));
    proc.once("exit", (code) => reject(new Error(`child exited (${code})`)));
  });
  return { url, process: proc };
}

export async function run(args: string[]): Promise<void> {
  if (!process.execArgv.includes("--experimental-transform-types")) {
    const runner = path.join(here, "run.ts");
    const proc = spawn(process.execPath, ["--experimental-transform-types", "--no-warnings", runner, "batch", ...args], { stdio: "inherit" });
    process.exit(await new Promise<number>((resolve) => proc.on("exit", (code) => resolve(code ?? 1))));
  }
  await bench(Number(args[0] ?? 500));
  process.exit(0);
}

async function bench(products: number) {
  const ipm = Number(process.env.GEMINI_IPM ?? 300);
  const latencyMs = Number(process.env.GEMINI_LATENCY_MS ?? 1500);
  const restoreRate = Number(process.env.BENCH_RESTORE_RATE ?? 100);
  const bucketSize = Number(process.env.BENCH_BUCKET_SIZE ?? 2000);
  const dataDir = mkdtempSync(path.join(tmpdir(), "lightbox-bench-batch-"));

  // The app's /files route, for Shopify to download originals from (its URL is the app's URL).
  const files = await startFilesServer();
  const { appUrl } = files;

  const fake = await child(`
    const m = await import(${JSON.stringify(path.join(here, "../fakes/gemini/server.ts"))});
    const fake = await m.startGeminiFake({ apiKey: "bench-service-key", quotaPerMinute: ${ipm}, textQuotaPerMinute: 100000, latencyMs: ${latencyMs} });
    // Keep memory flat: the bench reads only the counts.
    setInterval(() => { fake.requests.length = 0; }, 2000);
    const { createServer } = await import("node:http");
    const stats = createServer((req, res) => res.end(JSON.stringify({ quotaRefusals: fake.quotaRefusals() })));
    await new Promise((resolve) => stats.listen(0, "127.0.0.1", resolve));
    console.log(fake.baseUrl + " http://127.0.0.1:" + stats.address().port);`);
  const [fakeUrl, fakeStats] = fake.url.split(" ") as [string, string];
  const sim = await child(`
    const m = await import("@lightbox/shopify-simulator");
    const sim = await m.startSimulator({
      apiKey: "bench-key", apiSecret: "bench-secret", appUrl: ${JSON.stringify(appUrl)},
      mediaDelays: ${JSON.stringify(MEDIA_DELAYS)}, restoreRate: ${restoreRate}, bucketSize: ${bucketSize},
      seed: [{ domain: ${JSON.stringify(SHOP)}, products: m.catalogueProducts(${products}), accessToken: ${JSON.stringify(TOKEN)} }],
    });
    console.log(sim.url);`);

  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: "memory://",
    DATA_DIR: dataDir,
    SHOPIFY_API_KEY: "bench-key",
    SHOPIFY_API_SECRET: "bench-secret",
    SHOPIFY_APP_URL: appUrl,
    SHOPIFY_SIMULATOR_URL: sim.url,
    ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 3).toString("base64")}`,
    GEMINI_API_KEY: "bench-service-key",
    GEMINI_BASE_URL: fakeUrl,
    GEMINI_IMAGES_PER_MINUTE: String(ipm),
  });
  delete process.env.REDIS_URL;

  const { Session } = await import("@shopify/shopify-api");
  const { db } = await import("~/db.server");
  const { env } = await import("~/env.server");
  const { createBatch } = await import("~/batches/create-batch.server");
  const { grantCredits } = await import("~/credits/ledger.server");
  const { geminiPace, setGeminiPace } = await import("~/generation/pace.server");
  const { createEmbeddedQueue } = await import("~/jobs/embedded-queue.server");
  const { setJobQueue } = await import("~/jobs/queue.server");
  const { adminGraphqlFor } = await import("~/shopify-admin/admin-for-shop.server");
  const { pacedClient, pacingStats } = await import("~/shopify-admin/paced-client.server");
  const { connectAdminClients, sessionStorage } = await import("~/shopify.server");
  const { registerShop } = await import("~/shops/register-shop.server");
  const { loader } = await import("~/routes/files.$");
  connectAdminClients();
  files.serve = (request) => loader({ request, params: {}, context: {} });

  // Counts the 429s Gemini answered that reached the pace (each slows the key down).
  const pace = geminiPace();
  let rateLimited = 0;
  setGeminiPace({ ...pace, rateLimited: (key, ms) => ((rateLimited += 1), pace.rateLimited(key, ms)) });

  await sessionStorage.storeSession(
    new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, scope: "read_products,write_products", accessToken: TOKEN }),
  );
  const shop = await registerShop(db, SHOP, { name: "Bench catalogue" });
  await grantCredits(db, { shopId: shop.id, amount: products * 2, key: "bench", reason: "bench" });
  const simState = async () => (await (await fetch(`${sim.url}/_sim/state`)).json()) as { counters: Record<string, number>; shops: Array<{ domain: string; media: number }> };
  const before = (await simState()).counters;

  const concurrency = env().jobConcurrency;
  const queue = createEmbeddedQueue(db, { concurrency, pollMs: 50 });
  setJobQueue(queue);
  await queue.start();

  const t0 = performance.now();
  const { batch, quote } = await createBatch(db, pacedClient(SHOP, adminGraphqlFor(SHOP)), shop.id, {
    selection: { kind: "filter" },
    settings: { presetId: "white-studio", aspectRatio: "1:1", resolution: "1K", variants: 1, onResult: "publish", placement: "featured" },
  });
  let lastReport = t0;
  for (;;) {
    const row = await db.batch.findUniqueOrThrow({ where: { id: batch.id }, select: { status: true } });
    if (row.status !== "running") break;
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      const counts = await db.batchItem.groupBy({ by: ["status"], where: { batchId: batch.id }, _count: { _all: true } });
      console.log(`  ${((lastReport - t0) / 1000).toFixed(0)} s: ${counts.map((c) => `${c.status} ${c._count._all}`).join(", ")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const wall = (performance.now() - t0) / 1000;
  await queue.stop();

  const items = await db.batchItem.findMany({ where: { batchId: batch.id } });
  const published = items.filter((item) => item.status === "published").length;
  const throttlingReachingItems = items.filter((item) => item.status !== "published" || item.autoRetries > 0 || /rate|quota|throttl|busy/i.test(item.errorMessage ?? "")).length;
  const after = await simState();
  const spent = after.counters.pointsSpent! - before.pointsSpent!;
  const throttled = after.counters.throttled! - before.throttled!;
  const media = after.shops.find((s) => s.domain === SHOP)?.media ?? 0;
  const { quotaRefusals } = (await (await fetch(fakeStats)).json()) as { quotaRefusals: number };
  const processing = (MEDIA_DELAYS.uploadedMs + MEDIA_DELAYS.processingMs) / 1000;
  const geminiBound = (products / ipm) * 60 + latencyMs / 1000;
  const shopifyBound = Math.max(0, (spent - bucketSize) / restoreRate) + processing;
  const bound = Math.max(geminiBound, shopifyBound);
  const ratio = wall / bound;
  const debits = await db.creditEntry.count({ where: { shopId: shop.id, kind: "debit" } });
  const refunds = await db.creditEntry.count({ where: { shopId: shop.id, kind: "refund" } });

  console.log(`batch bench: ${products} products x 1 image, publish as featured; Gemini ${ipm} images/min, ${latencyMs} ms a call; Shopify bucket ${bucketSize} points, ${restoreRate}/s; job concurrency ${concurrency}, window ${quote?.concurrency}`);
  console.log(`  published ${published}/${products}; Shopify media ${media} (photos + Lightbox images, ${2 * products} expected); debits ${debits}, refunds ${refunds}`);
  const burstFloor = (Math.ceil(products / ipm) - 1) * 60 + latencyMs / 1000;
  console.log(`  Gemini bound  ${products} / ${ipm} per min + ${(latencyMs / 1000).toFixed(1)} s = ${geminiBound.toFixed(1)} s (floor with the first minute as one burst of ${Math.min(products, ipm)} calls: ${burstFloor.toFixed(1)} s)`);
  console.log(`  Shopify bound max(0, (${spent} - ${bucketSize}) / ${restoreRate}) + ${processing.toFixed(2)} = ${shopifyBound.toFixed(1)} s`);
  console.log(`  wall ${wall.toFixed(1)} s; bound ${bound.toFixed(1)} s; ratio ${ratio.toFixed(3)} (target <= ${RATIO_TARGET}) ${ratio <= RATIO_TARGET ? "OK" : "MISSED"}`);
  console.log(`  Gemini 429s: ${quotaRefusals} answered by the quota, ${rateLimited} reached the pace; Shopify THROTTLED: ${throttled} (client retried ${pacingStats.throttled})`);
  console.log(`  throttling reaching an item: ${throttlingReachingItems} (target 0) ${throttlingReachingItems === 0 ? "OK" : "MISSED"}`);

  fake.process.kill();
  sim.process.kill();
  files.close();
  rmSync(dataDir, { recursive: true, force: true });
}
