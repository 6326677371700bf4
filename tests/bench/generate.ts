// `npm run bench -- generate [count] [inFlight]`: generations through the whole path (validate,
// price + debit + job in one transaction, queue, load sources from storage, real Gemini SDK
// against the local fake at zero latency, provenance stamp, renditions, store, ledger) and the
// app's own time per image = everything except the fake's answer.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

async function startFakeProcess(): Promise<{ baseUrl: string; stop(): void }> {
  const { spawn } = await import("node:child_process");
  const script = `const m = await import(${JSON.stringify(path.join(here, "../fakes/gemini/server.ts"))});
    const fake = await m.startGeminiFake({ apiKey: "bench-service-key", imageDetail: process.env.BENCH_IMAGE_DETAIL ?? "photo" });
    console.log(fake.baseUrl);`;
  const child = spawn(process.execPath, ["--experimental-transform-types", "--no-warnings", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`Gemini fake exited (${code})`)));
  });
  return { baseUrl, stop: () => child.kill() };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 100);
  const inFlight = Number(args[1] ?? 20);
  const dataDir = mkdtempSync(path.join(tmpdir(), "lightbox-bench-gen-"));
  Object.assign(process.env, {
    NODE_ENV: "test",
    // BENCH_DATABASE_URL=postgresql://... measures against a PostgreSQL server instead.
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? "memory://",
    DATA_DIR: dataDir,
    GEMINI_API_KEY: "bench-service-key",
    ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 3).toString("base64")}`,
  });
  // The fake runs in its own process: its work (decoding requests, encoding answers) is not the app's.
  const fake = await startFakeProcess();
  process.env.GEMINI_BASE_URL = fake.baseUrl;

  const { db } = await import("~/db.server");
  const { ingestAsset } = await import("~/assets/ingest-asset.server");
  const { grantCredits } = await import("~/credits/ledger.server");
  const { createGeneration } = await import("~/generation/create-generation.server");
  const { createEmbeddedQueue } = await import("~/jobs/embedded-queue.server");
  const { setJobQueue } = await import("~/jobs/queue.server");
  await import("~/jobs/definitions.server");
  const { appStorage } = await import("~/storage/from-env.server");

  const shop = await db.shop.create({ data: { domain: "bench.myshopify.com" } });
  await grantCredits(db, { shopId: shop.id, amount: count * 10, key: "bench", reason: "bench" });
  const photo = readFileSync(path.join(here, "../fixtures/images/valid-photo.jpg"));
  const { asset } = await ingestAsset({ db, storage: appStorage(), shopId: shop.id, kind: "upload", bytes: photo });

  // The queue is woken by dispatch; its poll is only a safety net.
  const queue = createEmbeddedQueue(db, { concurrency: inFlight, pollMs: 1_000 });
  setJobQueue(queue);
  await queue.start();

  // Warm-up (JIT, sharp, SDK), not measured.
  for (let i = 0; i < 3; i++) {
    await createGeneration(db, { shopId: shop.id, sourceAssetIds: [asset.id], presetId: "white-studio", variants: 1 });
  }
  await waitIdle();

  // Baseline, measured in the same run with the same number in flight: the least any
  // implementation must do per image (the request through the real SDK to the fake, the answer's
  // bytes written to storage) and nothing else: no job, no ledger, no rows, no thumbnail.
  const baseline = await (async () => {
    const { createGeminiProvider } = await import("~/generation/gemini.server");
    const { readObjectBytes } = await import("~/storage/index.server");
    const storage = appStorage();
    const provider = createGeminiProvider({ apiKey: "bench-service-key", baseUrl: fake.baseUrl });
    const sample = await db.generation.findFirstOrThrow({ where: { shopId: shop.id } });
    const source = { bytes: (await readObjectBytes(storage, asset.displayKey))!, mimeType: "image/webp" };
    const ownMs: number[] = [];
    let made = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (made < count) {
          const n = made++;
          const start = performance.now();
          const result = await provider.generate({
            model: "gemini-3.1-flash-image",
            prompt: sample.prompt,
            sources: [source],
            references: [],
            aspectRatio: "4:5",
            resolution: "1K",
          });
          const bytes = Buffer.from(result.images[0]!.bytes);
          await storage.put(`baseline/${n}.png`, bytes, { contentType: "image/png", contentLength: bytes.length });
          ownMs.push(performance.now() - start - result.timings.upstreamMs);
        }
      }),
    );
    const cpu = process.cpuUsage(cpu0);
    return { ownMs, cpuPerImageMs: (cpu.user + cpu.system) / 1000 / count, jobsPerSecond: count / ((performance.now() - t0) / 1000) };
  })();

  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const requestMs: number[] = [];
  const ids: string[] = [];
  let next = 0;
  async function client() {
    while (next < count) {
      next++;
      const t0 = performance.now();
      const g = await createGeneration(db, { shopId: shop.id, sourceAssetIds: [asset.id], presetId: "white-studio", aspectRatio: "4:5", variants: 1 });
      requestMs.push(performance.now() - t0);
      ids.push(g.id);
      await waitFor(g.id);
    }
  }
  // One watcher for all clients: a single query per tick, however many are in flight (on PGlite
  // every query runs on the app's own thread). The figures come from the rows' timestamps, so
  // noticing an end a little late does not change them.
  const waiting = new Map<string, () => void>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      await new Promise((r) => setTimeout(r, 50));
      if (waiting.size === 0) continue;
      const ended = await db.generation.findMany({
        where: { id: { in: [...waiting.keys()] }, status: { in: ["succeeded", "failed"] } },
        select: { id: true },
      });
      for (const { id } of ended) {
        waiting.get(id)?.();
        waiting.delete(id);
      }
    }
  })();
  function waitFor(id: string) {
    return new Promise<void>((resolve) => waiting.set(id, resolve));
  }
  async function waitIdle() {
    for (;;) {
      if ((await db.job.count({ where: { status: { in: ["queued", "running"] } } })) === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await Promise.all(Array.from({ length: inFlight }, client));
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerImageMs = (cpu.user + cpu.system) / 1000 / count;

  const generations = await db.generation.findMany({ where: { id: { in: ids } } });
  const failed = generations.filter((g) => g.status !== "succeeded").length;
  // The app's own time per image: job run time (claim -> finished) minus the upstream HTTP time,
  // plus the request that created it. Queue waiting time is excluded (it depends on concurrency).
  const appMs = generations.map((g, i) => {
    const timings = (g.timings as Array<{ upstreamMs: number }> | null) ?? [];
    const upstream = timings.reduce((sum, t) => sum + t.upstreamMs, 0);
    const run = (g.finishedAt!.getTime() - g.startedAt!.getTime()) - upstream;
    return run + (requestMs[i] ?? 0);
  });
  const upstreamMs = generations.flatMap((g) => ((g.timings as Array<{ upstreamMs: number }> | null) ?? []).map((t) => t.upstreamMs));

  console.log(`generate: ${count} generations (1 image each, 4:5 1K), ${inFlight} in flight, fake Gemini at zero latency`);
  console.log(`  app's own time per image: p50 ${percentile(appMs, 50).toFixed(1)} ms, p95 ${percentile(appMs, 95).toFixed(1)} ms (target p95 <= 50 ms)`);
  console.log(`  fake's answer (SDK round trip): p50 ${percentile(upstreamMs, 50).toFixed(1)} ms, p95 ${percentile(upstreamMs, 95).toFixed(1)} ms`);
  console.log(`  create request: p50 ${percentile(requestMs, 50).toFixed(1)} ms, p95 ${percentile(requestMs, 95).toFixed(1)} ms`);
  console.log(`  app CPU per image (all threads, the fake excluded): ${cpuPerImageMs.toFixed(1)} ms`);
  console.log(`  throughput: ${(count / wallSeconds).toFixed(1)} jobs/s over ${wallSeconds.toFixed(1)} s; failed: ${failed}`);
  console.log(`  baseline (SDK call + store the bytes, nothing else; same run, ${inFlight} in flight):`);
  console.log(`    own time p50 ${percentile(baseline.ownMs, 50).toFixed(1)} ms, p95 ${percentile(baseline.ownMs, 95).toFixed(1)} ms; CPU per image ${baseline.cpuPerImageMs.toFixed(1)} ms; ${baseline.jobsPerSecond.toFixed(1)} images/s`);
  console.log(`    app / baseline: CPU per image ${(cpuPerImageMs / baseline.cpuPerImageMs).toFixed(2)}x, throughput ${(count / wallSeconds / baseline.jobsPerSecond).toFixed(2)}x`);
  // Little's law: with every slot busy, each image waits behind the others' work on the shared
  // cores, so the mean own time cannot be below in-flight x CPU per image / cores.
  const cores = availableParallelism();
  console.log(`  floor at ${inFlight} in flight on ${cores} cores: mean own time >= ${inFlight} x ${cpuPerImageMs.toFixed(1)} ms / ${cores} = ${((inFlight * cpuPerImageMs) / cores).toFixed(0)} ms (baseline: ${((inFlight * baseline.cpuPerImageMs) / cores).toFixed(0)} ms)`);

  watching = false;
  await watcher;
  await queue.stop();
  fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
