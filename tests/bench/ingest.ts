// Ingest benchmark: `npm run bench -- ingest` (node tests/bench/run.ts ingest).
// (a)  raw sharp: resize to 2048 + WebP, and the 400 px thumb, per image (the floor);
// (b)  the full ingestImage (detect, header limits, orient, sRGB, strip, renditions) + storing
//      all three renditions in the disk backend, on the same camera-like JPEGs (EXIF + GPS);
// (b6) informational: the same with EXIF orientation 6 (pixels must be rotated, so re-encoded);
// (c)  peak RSS of 8 concurrent ingests, each in a fresh process so (a)/(b) don't inflate it:
//      once with glibc malloc defaults, once with MALLOC_ARENA_MAX=2 (docs/decisions/0024-*).
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import sharp from "sharp";

import { ingestImage } from "../../app/images/ingest.server.ts";
import { DISPLAY_MAX_SIDE, DISPLAY_WEBP, THUMB_MAX_SIDE, THUMB_WEBP } from "../../app/images/limits.ts";
import { setPipelineSlots } from "../../app/images/sharp.server.ts";
import { createStorage } from "../../app/storage/index.server.ts";
import { shopObjectKey } from "../../app/storage/keys.ts";
import { photoPixels } from "../fixtures/images/make-corpus.ts";

const WIDTH = 4000;
const HEIGHT = 3000;
const COUNT = 12;
const CONCURRENT = 8;
const ROTATED_COUNT = 6;
const RATIO_TARGET = 0.8;
const RSS_TARGET_MB = 400;

const mb = (bytes: number) => bytes / (1024 * 1024);

export async function run(args: string[]): Promise<void> {
  if (args[0] === "--memory") return memoryChild(args[1]!);
  if (args[0] === "--make") return void (await makePhotos(args[1]!));

  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "lightbox-bench-"));
  try {
    console.log(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, threads/op ${sharp.concurrency()}, Node ${process.version}`);
    const images = await makePhotos(dir);
    const avgMb = images.reduce((s, b) => s + b.length, 0) / images.length / (1024 * 1024);
    console.log(`${COUNT} JPEGs ${WIDTH}x${HEIGHT} (12 MP), avg ${avgMb.toFixed(1)} MB, made in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const storage = createStorage({
      kind: "disk",
      root: join(dir, "store"),
      publicBaseUrl: "http://localhost/files",
      signingSecret: "bench-secret-bench-secret-bench-secret",
    });
    const rawSharp = async (bytes: Buffer) => {
      const base = sharp(bytes);
      await Promise.all([
        base.clone().resize({ width: DISPLAY_MAX_SIDE, height: DISPLAY_MAX_SIDE, fit: "inside", withoutEnlargement: true }).webp(DISPLAY_WEBP).toBuffer(),
        base.clone().resize({ width: THUMB_MAX_SIDE, height: THUMB_MAX_SIDE, fit: "inside", withoutEnlargement: true }).webp(THUMB_WEBP).toBuffer(),
      ]);
    };
    const fullIngest = async (bytes: Buffer, i: number) => {
      const result = await ingestImage(bytes, { declaredType: "image/jpeg", filename: `IMG_${i}.jpg` });
      await Promise.all(
        (["original", "display", "thumb"] as const).map((name) => {
          const r = result[name];
          const ext = r.format === "jpeg" ? "jpg" : r.format;
          return storage.put(shopObjectKey("bench-shop", "uploads", `asset-${i}`, name, ext), r.bytes, {
            contentType: r.contentType,
            contentLength: r.bytes.length,
          });
        }),
      );
    };

    // Warm up both paths once (library loading, first-call costs), then alternate the two
    // measured passes so neither gets a systematically cooler or warmer machine.
    await rawSharp(images[0]!);
    await fullIngest(images[0]!, 999);
    const times = { raw: 0, full: 0 };
    for (let pass = 0; pass < 2; pass++) {
      for (const mode of pass === 0 ? (["raw", "full"] as const) : (["full", "raw"] as const)) {
        const t0 = performance.now();
        for (let i = 0; i < images.length; i++) {
          if (mode === "raw") await rawSharp(images[i]!);
          else await fullIngest(images[i]!, i);
        }
        times[mode] += performance.now() - t0;
      }
    }
    const rawRate = (2 * COUNT) / (times.raw / 1000);
    const fullRate = (2 * COUNT) / (times.full / 1000);
    const ratio = fullRate / rawRate;
    console.log(`(a) raw sharp resize+WebP+thumb : ${rawRate.toFixed(2)} images/s`);
    console.log(`(b) full ingest + disk store    : ${fullRate.toFixed(2)} images/s`);
    console.log(`    ratio (b)/(a)               : ${ratio.toFixed(2)} (target >= ${RATIO_TARGET}) ${ratio >= RATIO_TARGET ? "OK" : "BELOW TARGET"}`);

    const rotated = await makeRotated(images.slice(0, ROTATED_COUNT));
    const t6 = performance.now();
    for (let i = 0; i < rotated.length; i++) await fullIngest(rotated[i]!, 100 + i);
    const rotatedRate = rotated.length / ((performance.now() - t6) / 1000);
    console.log(`(b6) same, EXIF orientation 6     : ${rotatedRate.toFixed(2)} images/s (${(rotatedRate / rawRate).toFixed(2)} of (a); informational)`);

    const defaults = await runMemoryChild(dir, {});
    const tuned = await runMemoryChild(dir, { MALLOC_ARENA_MAX: "2" });
    const line = (label: string, m: MemoryResult) =>
      `${label}: peak RSS ${m.peakMb.toFixed(0)} MB (idle ${m.baselineMb.toFixed(0)} MB, ${m.samples} samples over ${(m.ms / 1000).toFixed(1)} s)`;
    console.log(line(`(c) ${CONCURRENT} concurrent, glibc defaults`, defaults));
    console.log(
      `${line(`(c) ${CONCURRENT} concurrent, MALLOC_ARENA_MAX=2`, tuned)} ` +
        `(target < ${RSS_TARGET_MB} MB) ${tuned.peakMb < RSS_TARGET_MB ? "OK" : "ABOVE TARGET"}`,
    );
    console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (ratio < RATIO_TARGET || tuned.peakMb >= RSS_TARGET_MB) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * 12 distinct photo-like 12 MP JPEGs (~4 MB each at q92, like a phone camera's): smooth
 * gradients and blobs overlaid with gaussian sensor noise, made once and tinted/flipped per image.
 */
async function makePhotos(dir: string): Promise<Buffer[]> {
  const raw = { width: WIDTH, height: HEIGHT, channels: 3 as const };
  const scene = await sharp(photoPixels(400, 300, 42, 0), { raw: { ...raw, width: 400, height: 300 } })
    .resize(WIDTH, HEIGHT, { kernel: "cubic" })
    .raw()
    .toBuffer();
  const noise = await sharp({ create: { ...raw, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 5 } } }).raw().toBuffer();
  const field = await sharp(scene, { raw }).composite([{ input: noise, raw, blend: "overlay" }]).raw().toBuffer();
  const out: Buffer[] = [];
  for (let i = 0; i < COUNT; i++) {
    const jpeg = await sharp(field, { raw })
      .withExif(cameraExif(i))
      .linear([0.8 + (i % 3) * 0.1, 0.8 + (i % 4) * 0.07, 0.8 + (i % 5) * 0.05], [i * 2, 0, 20 - i])
      .flip(i % 2 === 1)
      .flop(i % 3 === 0)
      .jpeg({ quality: 92 })
      .toBuffer();
    writeFileSync(join(dir, `photo-${String(i).padStart(2, "0")}.jpg`), jpeg);
    out.push(jpeg);
  }
  return out;
}

/** What a phone writes: make/model/time and a GPS position (all of which ingest must strip). */
function cameraExif(i: number) {
  return {
    IFD0: { Make: "Google", Model: "Pixel 9", Software: "HDR+ 1.0", DateTime: `2026:05:${String(10 + i).padStart(2, "0")} 12:00:00` },
    IFD3: { GPSLatitudeRef: "N", GPSLatitude: `52/1 ${30 + i}/1 0/1`, GPSLongitudeRef: "E", GPSLongitude: "13/1 24/1 0/1" },
  };
}

/** The same photos tagged "rotate 90° CW to display", as a phone held upright writes them. */
async function makeRotated(images: Buffer[]): Promise<Buffer[]> {
  return Promise.all(images.map((jpeg, i) => sharp(jpeg).withExif(cameraExif(i)).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toBuffer()));
}

interface MemoryResult {
  peakMb: number;
  baselineMb: number;
  samples: number;
  ms: number;
}

function runMemoryChild(dir: string, env: Record<string, string>): Promise<MemoryResult> {
  const runner = fileURLToPath(new URL("./run.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, "ingest", "--memory", dir], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, MALLOC_ARENA_MAX: undefined, ...env },
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`memory child exited with ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}") as MemoryResult);
    });
  });
}

/** Child process: load the JPEGs, ingest them 8 at a time, report peak RSS sampled every 10 ms. */
async function memoryChild(dir: string): Promise<void> {
  // Like a server: an upload is in memory only while it is being processed.
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".jpg"))
    .map((f) => join(dir, f));
  if (process.env.BENCH_PIPELINE_SLOTS) setPipelineSlots(Number(process.env.BENCH_PIPELINE_SLOTS));
  await ingestImage(readFileSync(files[0]!)); // warm up
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let samples = 0;
  const timer = setInterval(() => {
    samples++;
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const bytes = await readFile(files[next++]!);
      await ingestImage(bytes);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT }, worker));
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const result: MemoryResult = { peakMb: mb(peak), baselineMb: mb(baseline), samples, ms: performance.now() - t0 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
