// The chaos suite (`npm run test:chaos`, docs/decisions/0075-chaos-suite.md): the built app as it
// runs at scale (a web process and two BullMQ workers on PostgreSQL and Redis, images on an
// S3-compatible server), driven over its public API by a client that retries like a real one,
// while faults are injected: kill -9 of a worker and of the web process in the middle of work,
// Redis stopped and started again (its messages lost), storage failing for a minute, Shopify
// answering 429 and 5xx, Gemini answering 429, 500, dropping connections and timing out.
// Afterwards the books must balance: every accepted generation ended (none lost), no duplicate
// generation, output or Shopify media, the ledger exact, no stored object without its row.
// It prints what it injected and what it found, and writes tests/.artifacts/chaos.json.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { DEMO_SHOP, startSimulator, type RunningSimulator } from "@lightbox/shopify-simulator";
import { freePort } from "@lightbox/shopify-simulator/stack";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startGeminiFake, type FakeBehaviour, type GeminiFake } from "../fakes/gemini/server";
import { createTestDatabase, testPostgresAdminUrl } from "../helpers/postgres";
import { until } from "../helpers/until";
import { startS3rver, type S3rverHarness } from "../storage/support/s3rver-harness";
import { appProcess, type AppProcess } from "./support/app-process";
import { startChaosRedis, type ChaosRedis } from "./support/redis";
import { startStorageOutageProxy, type StorageOutage } from "./support/storage-outage";

const ROOT = path.resolve(__dirname, "../..");
const STORAGE_OUTAGE_MS = Number(process.env.CHAOS_STORAGE_OUTAGE_MS ?? 60_000);
const GEMINI_KEY = "chaos-lightbox-service-key";
const photo = readFileSync(path.join(ROOT, "tests/fixtures/images/valid-photo.jpg"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const faults = { workerKills: 0, webKills: 0, redisRestarts: 0, storageRefusals: 0, shopifyFaults: 0, geminiFaults: 0 };
const client = { requests: 0, retries: 0 };

let sim: RunningSimulator;
let gemini: GeminiFake;
let redis: ChaosRedis;
let s3: S3rverHarness;
let outage: StorageOutage;
let dropDatabase: (() => Promise<void>) | undefined;
let dataDir = "";
let web: AppProcess;
let workers: AppProcess[] = [];
let token = "";
let shopId = "";
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the app's modules, loaded once the environment is set
let app: any;

/** The public API as a script calls it, retrying what a careful client retries (same Idempotency-Key). */
async function api(method: string, route: string, options: { json?: unknown; form?: FormData; key?: string; deadlineMs?: number } = {}) {
  const deadline = Date.now() + (options.deadlineMs ?? 150_000);
  for (let attempt = 0; ; attempt++) {
    client.requests += 1;
    if (attempt > 0) client.retries += 1;
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (options.key) headers["idempotency-key"] = options.key;
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.form) body = options.form;
    try {
      const response = await fetch(`${web.url}${route}`, { method, headers, body, signal: AbortSignal.timeout(15_000) });
      const text = await response.text();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const parsed = (text ? JSON.parse(text) : null) as any;
      const transient = response.status >= 500 || response.status === 429 || (response.status === 409 && parsed?.code === "IDEMPOTENCY_KEY_IN_USE");
      if (!transient) return { status: response.status, body: parsed };
    } catch {
      // the web process is down or was killed mid-request: try again
    }
    if (Date.now() > deadline) throw new Error(`${method} ${route} did not succeed before the deadline`);
    await sleep(300 + Math.random() * 500);
  }
}

/** What was still open says which path lost its way. */
async function openJobs(): Promise<string> {
  const open = await app.db.job.findMany({
    where: { shopId, status: { in: ["queued", "running"] } },
    select: { id: true, type: true, status: true, attempts: true, runAt: true, leaseUntil: true, lockedBy: true, message: true },
  });
  return `open jobs at ${new Date().toISOString()}:\n${JSON.stringify(open, null, 1)}`;
}

/** Gemini misbehaving now and then: 429 with Retry-After, 500, a dropped connection, no answer (timeout). */
function unreliableGemini(calls: number): FakeBehaviour[] {
  return Array.from({ length: calls }, (_, i): FakeBehaviour => {
    if (i % 9 === 3) return { status: 429, retryAfter: 1 };
    if (i % 9 === 5) return { status: 500 };
    if (i % 11 === 7) return { hang: true };
    if (i % 13 === 9) return { dropConnection: true };
    return { latencyMs: 200 + (i % 5) * 150 };
  });
}

const accepted = new Map<string, string>(); // Idempotency-Key -> generation id

async function generate(count: number, label: string, sourceIds: string[]) {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const key = `chaos-${label}-${i}`;
      const created = await api("POST", "/api/v1/generations", {
        key,
        json: { source_asset_ids: [sourceIds[i % sourceIds.length]], preset_id: "white-studio", aspect_ratio: "1:1", resolution: "1K", variants: 2 },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      accepted.set(key, created.body.id);
    }),
  );
}

async function upload(index: number): Promise<string> {
  const form = new FormData();
  // Distinct bytes per upload (a comment segment after SOI), so none is deduplicated into another.
  const bytes = Buffer.concat([photo.subarray(0, 2), Buffer.from([0xff, 0xfe, 0x00, 0x10]), Buffer.from(`chaos-upload-${index}`.padEnd(14, "_")), photo.subarray(2)]);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), `source-${index}.jpg`);
  const created = await api("POST", "/api/v1/assets", { key: `chaos-upload-${index}`, form });
  expect([200, 201], JSON.stringify(created.body)).toContain(created.status);
  return created.body.id as string;
}

async function jobsOpen(): Promise<number> {
  return app.db.job.count({ where: { shopId, status: { in: ["queued", "running"] } } });
}

beforeAll(async () => {
  const adminUrl = await testPostgresAdminUrl();
  if (!adminUrl) throw new Error("The chaos suite needs PostgreSQL (TEST_POSTGRES_URL or TEST_PG_ADMIN_URL)");
  const database = await createTestDatabase(adminUrl);
  dropDatabase = database.drop;
  dataDir = mkdtempSync(path.join(tmpdir(), "lightbox-chaos-"));
  [redis, s3, gemini] = await Promise.all([startChaosRedis(), startS3rver("lightbox-chaos"), startGeminiFake({ apiKey: GEMINI_KEY })]);
  outage = await startStorageOutageProxy(s3.endpoint);
  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  sim = await startSimulator({ appUrl: webUrl, mediaDelays: { uploadedMs: 50, processingMs: 100 }, jobDelayMs: 50 });

  const env: Record<string, string> = {
    NODE_ENV: "development", // the local Shopify simulator is refused in production
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    JOB_QUEUE_NAME: `chaos-${randomBytes(4).toString("hex")}`,
    JOB_LEASE_MS: "4000",
    JOB_CONCURRENCY: "3",
    DATA_DIR: dataDir,
    ENCRYPTION_KEYS: `chaos1:${randomBytes(32).toString("base64")}`,
    SHOPIFY_API_KEY: sim.options.apiKey,
    SHOPIFY_API_SECRET: sim.options.apiSecret,
    SHOPIFY_APP_URL: webUrl,
    SHOPIFY_SIMULATOR_URL: sim.url,
    APP_BRIDGE_URL: `${sim.url}/app-bridge.js`,
    R2_ENDPOINT: outage.endpoint,
    R2_BUCKET: s3.bucket,
    R2_ACCESS_KEY_ID: s3.accessKeyId,
    R2_SECRET_ACCESS_KEY: s3.secretAccessKey,
    GEMINI_API_KEY: GEMINI_KEY,
    GEMINI_BASE_URL: gemini.baseUrl,
    GEMINI_REQUEST_TIMEOUT_MS: "2500",
    API_IDEMPOTENCY_IN_FLIGHT_MS: "6000",
    API_RATE_LIMIT_PER_MINUTE: "100000",
    API_SHOP_RATE_LIMIT_PER_MINUTE: "100000",
    JOBS_MAX_ACTIVE_PER_SHOP: "1000",
    LOG_LEVEL: "warn",
  };
  Object.assign(process.env, env);
  delete process.env.TEST_POSTGRES_URL;

  // This process reads and checks the same database (and seeds the shop), with the app's own modules.
  const [{ database: open }, shopify, { registerShop }, { grantCredits }, { createApiToken }, storage] = await Promise.all([
    import("~/db.server"),
    import("~/shopify.server"),
    import("~/shops/register-shop.server"),
    import("~/credits/ledger.server"),
    import("~/tokens/create-token.server"),
    import("~/storage/r2.server"),
  ]);
  const db = (await open()).prisma;
  app = { db, s3: storage.createR2Client({ kind: "r2", endpoint: s3.endpoint, bucket: s3.bucket, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }) };
  const issued = sim.issueAccessToken(DEMO_SHOP, { expiring: false });
  await shopify.sessionStorage.storeSession(
    new Session({ id: `offline_${DEMO_SHOP}`, shop: DEMO_SHOP, state: "installed", isOnline: false, scope: issued.scope, accessToken: issued.access_token }),
  );
  const shop = await registerShop(db, DEMO_SHOP, { name: "Chaos" });
  shopId = shop.id;
  await grantCredits(db, { shopId, amount: 1_000, key: `chaos-pack:${shopId}`, reason: "Chaos credit pack" });
  token = (await createApiToken(db, { shopId, name: "chaos client", scopes: ["read", "write"] })).plaintext;

  web = appProcess("web", env, { port: webPort });
  workers = [appProcess("worker-1", env, { worker: true }), appProcess("worker-2", env, { worker: true })];
  await web.start();
  await Promise.all(workers.map((w) => w.start()));
}, 180_000);

afterAll(async () => {
  await Promise.all([web, ...workers].filter(Boolean).map((p) => p.stop().catch(() => undefined)));
  await app?.db?.$disconnect?.().catch(() => undefined);
  await Promise.all([sim?.stop(), gemini?.stop(), outage?.close(), s3?.close(), redis?.close()].map((p) => p?.catch(() => undefined)));
  await dropDatabase?.().catch(() => undefined);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe("chaos", () => {
  it("survives kill -9, Redis and storage outages, Shopify and Gemini errors: nothing lost, no duplicates, ledger exact", async () => {
    const started = Date.now();
    const phase = (name: string) => console.log(`[chaos] ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${name}`);
    const sources = [];
    for (let i = 0; i < 3; i++) sources.push(await upload(i));

    phase("Gemini errors and timeouts; kill -9 of a worker mid-generation");
    gemini.next(...unreliableGemini(400));
    const first = generate(10, "a", sources);
    await until("generations running", async () => (await app.db.job.count({ where: { shopId, status: "running" } })) > 0, 60_000, openJobs);
    await sleep(800);
    await workers[0]!.kill9();
    faults.workerKills += 1;
    await sleep(1_500);
    await workers[0]!.start();
    await first;

    phase("kill -9 of the web process while requests are in flight");
    const second = generate(8, "b", sources);
    await sleep(150);
    await web.kill9();
    faults.webKills += 1;
    await sleep(1_000);
    await web.start();
    await second;

    phase("Redis stopped and started again (queued messages lost)");
    const third = generate(6, "c", sources);
    await sleep(400);
    await redis.stop();
    faults.redisRestarts += 1;
    await sleep(6_000);
    await redis.start();
    await third;
    await until("the jobs so far to finish", async () => (await jobsOpen()) === 0, 120_000, openJobs);

    phase(`storage failing for ${STORAGE_OUTAGE_MS / 1000} s (uploads and generations meanwhile)`);
    outage.down = true;
    const during = Promise.all([upload(10), generate(4, "d", sources)]);
    await sleep(STORAGE_OUTAGE_MS);
    outage.down = false;
    faults.storageRefusals = outage.refused;
    await during;
    await until("the jobs of the outage to finish", async () => (await jobsOpen()) === 0, 120_000, openJobs);

    phase("Shopify answering 429 and 5xx while images are published");
    const outputs: Array<{ id: string }> = await app.db.asset.findMany({ where: { shopId, kind: "generated" }, orderBy: { createdAt: "asc" }, take: 6, select: { id: true } });
    expect(outputs.length).toBeGreaterThanOrEqual(4);
    const products = [...sim.shop(DEMO_SHOP).products.values()].slice(0, 3);
    const seededMedia = new Map(products.map((p) => [p.id, p.mediaIds.length]));
    const shopifyFaults = [
      { status: 429 as const, retryAfterSeconds: 1 },
      { status: 503 as const },
      { status: 502 as const },
      { status: 429 as const, retryAfterSeconds: 1 },
      { status: 500 as const },
    ];
    sim.injectAdminFaults(...shopifyFaults);
    const publishes = products.map((product, i) =>
      api("POST", `/api/v1/products/${product.id}/publish`, {
        key: `chaos-publish-${i}`,
        json: { asset_ids: outputs.slice(i * 2, i * 2 + 2).map((o) => o.id), alt_texts: Object.fromEntries(outputs.slice(i * 2, i * 2 + 2).map((o) => [o.id, `Chaos image ${o.id}`])) },
      }),
    );
    await sleep(1_500);
    sim.injectAdminFaults(...shopifyFaults);
    for (const result of await Promise.all(publishes)) expect(result.status, JSON.stringify(result.body)).toBe(202);
    await until("publications to settle", async () => (await app.db.publication.count({ where: { shopId, status: { in: ["queued", "processing"] } } })) === 0 && (await jobsOpen()) === 0, 120_000, openJobs);
    faults.shopifyFaults = sim.state.counters.faultsInjected;
    faults.geminiFaults = gemini.requests.filter((r) => r.action === "generateContent" && (r.status === undefined || r.status >= 400)).length;

    phase("checking the books");
    const crashed = [web, ...workers].filter((p) => !p.alive());
    for (const p of crashed) console.log(`[chaos] ${p.name} died by itself:\n${p.output().slice(-3000)}`);
    const figures = await audit(products.map((p) => ({ id: p.id, seeded: seededMedia.get(p.id)!, media: sim.shop(DEMO_SHOP).products.get(p.id)!.mediaIds })));
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const injected = faults.workerKills + faults.webKills + faults.redisRestarts + faults.storageRefusals + faults.shopifyFaults + faults.geminiFaults;
    const report = { seconds, faultsInjected: injected, ...faults, ...client, ...figures };
    console.log(
      [
        "",
        `[chaos] survived in ${seconds} s: ${injected} faults injected`,
        `  kill -9 worker ${faults.workerKills}, kill -9 web ${faults.webKills}, Redis stop/start ${faults.redisRestarts}, storage requests refused during the ${STORAGE_OUTAGE_MS / 1000} s outage ${faults.storageRefusals}, Shopify 429/5xx ${faults.shopifyFaults}, Gemini 429/500/drops/timeouts ${faults.geminiFaults}`,
        `  client: ${client.requests} requests, ${client.retries} retried; generations ${figures.generations} (${figures.succeeded} succeeded, ${figures.partialRefunded} of them partly and refunded for the rest, ${figures.failedRefunded} failed and refunded), outputs ${figures.outputs}, publications ready ${figures.publicationsReady}`,
        `  jobs lost ${figures.jobsLost}, duplicates ${figures.duplicates}, ledger mismatches ${figures.ledgerMismatches}, orphan objects ${figures.orphanObjects}, missing objects ${figures.missingObjects}`,
        ...figures.problems.map((problem) => `  PROBLEM: ${problem}`),
        "",
      ].join("\n"),
    );
    mkdirSync(path.join(ROOT, "tests/.artifacts"), { recursive: true });
    writeFileSync(path.join(ROOT, "tests/.artifacts/chaos.json"), `${JSON.stringify(report, null, 2)}\n`);

    expect(crashed.map((p) => p.name)).toEqual([]);
    expect(figures.generations).toBe(accepted.size);
    expect(figures.jobsLost).toBe(0);
    expect(figures.duplicates).toBe(0);
    expect(figures.ledgerMismatches).toBe(0);
    expect(figures.orphanObjects).toBe(0);
    expect(figures.missingObjects).toBe(0);
    expect(figures.succeeded).toBeGreaterThan(0);
  }, 600_000);
});

/** What the database, the bucket and Shopify hold once everything has settled. */
async function audit(products: Array<{ id: number; seeded: number; media: number[] }>) {
  const db = app.db;
  const generations: Array<{ id: string; status: string; variants: number; creditsCharged: number; errorCode: string | null; outputs: Array<{ variantIndex: number | null }> }> =
    await db.generation.findMany({ where: { shopId }, include: { outputs: { select: { variantIndex: true } } } });
  const openJobs = await jobsOpen();
  const acceptedIds = new Set(accepted.values());
  const missingGenerations = [...acceptedIds].filter((id) => !generations.some((g) => g.id === id)).length;
  const unfinished = generations.filter((g) => g.status === "queued" || g.status === "running").length;

  const problems: string[] = [];
  let duplicates = generations.length - acceptedIds.size; // one generation per Idempotency-Key
  let lostOutputs = 0;
  for (const g of generations) {
    const variants = g.outputs.map((o) => o.variantIndex);
    duplicates += variants.length - new Set(variants).size;
    if (g.status === "succeeded") {
      if (variants.length > g.variants) duplicates += variants.length - g.variants;
      // Fewer images than asked is a partial success only if the merchant is told (errorCode) and refunded (below).
      if (variants.length < g.variants && !g.errorCode) {
        lostOutputs += g.variants - variants.length;
        problems.push(`generation ${g.id} succeeded with variants [${variants.join(",")}] of ${g.variants} and no error`);
      }
    }
  }
  const publications: Array<{ productId: string; status: string; mediaId: string | null }> = await db.publication.findMany({ where: { shopId } });
  for (const product of products) {
    const ready = publications.filter((p) => p.productId === `gid://shopify/Product/${product.id}` && p.status === "ready");
    const added = product.media.length - product.seeded;
    duplicates += Math.max(0, added - ready.length); // media Shopify holds that no publication accounts for
    duplicates += ready.length - new Set(ready.map((p) => p.mediaId)).size;
  }

  let ledgerMismatches = 0;
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  const sum = await db.creditEntry.aggregate({ where: { shopId }, _sum: { amount: true } });
  if ((sum._sum.amount ?? 0) !== shop.creditBalance) {
    ledgerMismatches += 1;
    problems.push(`balance ${shop.creditBalance} but entries sum to ${sum._sum.amount}`);
  }
  const entries: Array<{ kind: string; amount: number; generationId: string | null }> = await db.creditEntry.findMany({ where: { shopId, generationId: { not: null } } });
  for (const g of generations) {
    const debits = entries.filter((e) => e.generationId === g.id && e.kind === "debit");
    const refunds = entries.filter((e) => e.generationId === g.id && e.kind === "refund");
    const charged = g.creditsCharged > 0;
    // What a refund must be: everything for a failure, the missing images' share for a partial success.
    const missing = g.status === "failed" ? g.variants : g.variants - g.outputs.length;
    const due = Math.round((g.creditsCharged / g.variants) * missing);
    const refunded = refunds.reduce((n, r) => n + r.amount, 0);
    const wrong =
      (charged && (debits.length !== 1 || debits[0]!.amount !== -g.creditsCharged)) ||
      refunds.length > 1 ||
      (charged && refunded !== due);
    if (wrong) {
      ledgerMismatches += 1;
      problems.push(`generation ${g.id} (${g.status}, charged ${g.creditsCharged}): debits [${debits.map((d) => d.amount)}], refunds [${refunds.map((r) => r.amount)}]`);
    }
  }

  // Every stored object belongs to a row, and every row's objects are stored.
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await app.s3.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `shops/${shopId}/`, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o: { Key?: string }) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const assets: Array<{ originalKey: string; displayKey: string; thumbKey: string }> = await db.asset.findMany({ where: { shopId }, select: { originalKey: true, displayKey: true, thumbKey: true } });
  const exports: Array<{ objectKey: string | null }> = await db.export.findMany({ where: { shopId }, select: { objectKey: true } });
  const known = new Set([...assets.flatMap((a) => [a.originalKey, a.displayKey, a.thumbKey]), ...exports.map((e) => e.objectKey).filter((k): k is string => Boolean(k))]);
  const stored = new Set(keys);
  const orphanObjects = keys.filter((key) => !known.has(key)).length;
  const missingObjects = [...known].filter((key) => !stored.has(key)).length;
  if (openJobs + unfinished + missingGenerations > 0) problems.push(`open jobs ${openJobs}, unfinished generations ${unfinished}, accepted but missing ${missingGenerations}`);
  for (const key of keys.filter((k) => !known.has(k)).slice(0, 5)) problems.push(`orphan object ${key}`);
  for (const key of [...known].filter((k) => !stored.has(k)).slice(0, 5)) problems.push(`missing object ${key}`);

  return {
    generations: generations.length,
    succeeded: generations.filter((g) => g.status === "succeeded").length,
    partialRefunded: generations.filter((g) => g.status === "succeeded" && g.outputs.length < g.variants).length,
    failedRefunded: generations.filter((g) => g.status === "failed").length,
    outputs: generations.reduce((n, g) => n + g.outputs.length, 0),
    publicationsReady: publications.filter((p) => p.status === "ready").length,
    jobsLost: openJobs + missingGenerations + unfinished + lostOutputs,
    duplicates,
    ledgerMismatches,
    orphanObjects,
    missingObjects,
    storedObjects: keys.length,
    problems,
  };
}
