// Export benchmark: `npm run bench -- export [count]` (default 500 images; needs `npm run build`).
// A shop with <count> stored originals of ~560 KB each (about 275 MB, as much as the memory target:
// only a streamed export can stay under it) is exported by the built app, as production runs it
// (`node build/server/index.js`, NODE_ENV=production, disk storage in DATA_DIR, jobs in the
// process): POST /api/v1/exports, poll until ready, then download the archive from the app's /files
// route. The app process's memory is read from /proc (VmRSS sampled, VmHWM = its peak).
// Database: PostgreSQL when BENCH_POSTGRES_URL is set (a throwaway database; the production
// setup), else the embedded PGlite, whose WebAssembly Postgres alone keeps the process at ~450 MB:
// there the figure to read is the growth during the export.
// Baseline, measured in the same run: this process reading every original from storage and
// discarding it (the bytes an export must move at least).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const RSS_TARGET_MB = 300;
const ROOT = resolve(import.meta.dirname, "../..");
const mb = (bytes: number) => bytes / (1024 * 1024);

function procStatus(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 500);
  if (!existsSync(join(ROOT, "build/server/index.js"))) {
    console.error("Build the app first: npm run build");
    process.exitCode = 2;
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), "lightbox-bench-export-"));
  const config: Record<string, string> = {
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`,
    SHOPIFY_API_KEY: "bench-key",
    SHOPIFY_API_SECRET: "bench-secret-bench-secret",
    SHOPIFY_APP_URL: "http://127.0.0.1:0",
  };
  const port = await freePort();
  config.SHOPIFY_APP_URL = `http://127.0.0.1:${port}`;
  const adminUrl = process.env.BENCH_POSTGRES_URL;
  const throwaway = `lbx_bench_export_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  if (adminUrl) {
    await admin(`CREATE DATABASE ${throwaway}`);
    const url = new URL(adminUrl);
    url.pathname = `/${throwaway}`;
    config.DATABASE_URL = url.toString();
  } else delete process.env.DATABASE_URL; // embedded PGlite in DATA_DIR
  Object.assign(process.env, config);
  delete process.env.REDIS_URL;
  let app: ChildProcess | undefined;
  try {
    const { plaintext, originals } = await seed(dataDir, count);
    const totalMb = mb(originals.bytes);

    // Baseline: every original read from storage here and thrown away.
    const { createStorage } = await import("../../app/storage/index.server.ts");
    const { diskStorageConfig } = await import("../../app/storage/from-env.server.ts");
    const storage = createStorage(diskStorageConfig());
    const b0 = performance.now();
    for (const key of originals.keys) {
      const object = await storage.get(key);
      for await (const chunk of object!.stream) void chunk;
    }
    const baselineS = (performance.now() - b0) / 1000;

    // Exactly as `npm run serve` starts it (its environment assignments and node flags), with this Node.
    const serve = servePackageScript();
    app = spawn(process.execPath, [...serve.flags, "build/server/index.js"], {
      cwd: ROOT,
      env: { ...process.env, ...config, ...serve.env, PORT: String(port), HOST: "127.0.0.1" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (app.exitCode !== null) throw new Error("the app exited");
      if ((await fetch(`${base}/healthz`).catch(() => null))?.ok) break;
      if (i > 600) throw new Error("the app did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
    const idle = procStatus(app.pid!, "VmRSS");
    let sampled = idle;
    const sampler = setInterval(() => {
      try {
        sampled = Math.max(sampled, procStatus(app!.pid!, "VmRSS"));
      } catch {
        // exited
      }
    }, 20);
    const auth = { authorization: `Bearer ${plaintext}` };

    const e0 = performance.now();
    const created = await fetch(`${base}/api/v1/exports`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: "{}" });
    if (created.status !== 202) throw new Error(`POST /api/v1/exports answered ${created.status}: ${await created.text()}`);
    const { id } = (await created.json()) as { id: string };
    let view: { status: string; image_count: number; bytes: number | null; download_url: string | null };
    for (;;) {
      view = (await (await fetch(`${base}/api/v1/exports/${id}`, { headers: auth })).json()) as typeof view;
      if (view.status === "ready" || view.status === "failed") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const exportS = (performance.now() - e0) / 1000;
    const duringExport = sampled;

    // The download, from the app's /files route, read and counted as a client would.
    const d0 = performance.now();
    let downloaded = 0;
    const download = await fetch(view.download_url!);
    for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) downloaded += chunk.length;
    const downloadS = (performance.now() - d0) / 1000;
    clearInterval(sampler);
    const peak = procStatus(app.pid!, "VmHWM");

    const archiveMb = mb(view.bytes ?? 0);
    console.log(`npm run serve: ${serve.line}`);
    console.log(`Node ${process.version}, built app (NODE_ENV=production, ${adminUrl ? "PostgreSQL" : "PGlite"}, disk storage, jobs in process): ${count} originals of ${(originals.bytes / count / 1024).toFixed(0)} KB (${totalMb.toFixed(0)} MB)`);
    console.log(`baseline (read every original)  ${baselineS.toFixed(2)} s   ${(totalMb / baselineS).toFixed(0)} MB/s`);
    console.log(`export (request -> ready)       ${exportS.toFixed(2)} s   ${(archiveMb / exportS).toFixed(0)} MB/s   ${view.status}, ${view.image_count} images, archive ${archiveMb.toFixed(0)} MB`);
    console.log(`download (GET /files/...)        ${downloadS.toFixed(2)} s   ${(mb(downloaded) / downloadS).toFixed(0)} MB/s   ${mb(downloaded).toFixed(0)} MB, HTTP ${download.status}`);
    console.log(`ratio export/baseline = ${(exportS / baselineS).toFixed(2)}`);
    console.log(`app RSS idle ${mb(idle).toFixed(0)} MB, sampled peak during the export ${mb(duringExport).toFixed(0)} MB, during export and download ${mb(sampled).toFixed(0)} MB (+${mb(sampled - idle).toFixed(0)} MB), process peak since start (VmHWM) ${mb(peak).toFixed(0)} MB`);
    // On PostgreSQL the whole process must stay under the target; on PGlite (its own ~450 MB) the export's growth must.
    const measured = adminUrl ? mb(peak) : mb(sampled - idle);
    console.log(`${adminUrl ? "peak RSS" : "RSS growth during the export"} ${measured.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB): ${measured < RSS_TARGET_MB ? "PASS" : "FAIL"}`);
    const whole = view.status === "ready" && view.image_count === count && downloaded === view.bytes;
    if (!whole) console.log("FAIL: the export is not complete");
    if (!whole || measured >= RSS_TARGET_MB) process.exitCode = 1;
  } finally {
    if (app && app.exitCode === null) {
      const exited = new Promise((r) => app!.once("exit", r));
      app.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (adminUrl) await admin(`DROP DATABASE IF EXISTS ${throwaway} WITH (FORCE)`);
  }
}

/** `npm run serve` from package.json: "A=1 B=2 node --flag build/server/index.js" -> env and flags. */
function servePackageScript(): { line: string; env: Record<string, string>; flags: string[] } {
  const line = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.serve!;
  const words = line.split(/\s+/);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length && /^[A-Z_]+=/.test(words[i]!); i++) {
    const [name, ...value] = words[i]!.split("=");
    env[name!] = value.join("=");
  }
  if (words[i] !== "node") throw new Error(`npm run serve does not start node: ${line}`);
  const flags = words.slice(i + 1).filter((word) => word.startsWith("--"));
  return { line, env, flags };
}

/** The shop, a token, and <count> ~600 KB originals with their rows, written into DATA_DIR directly. */
async function seed(dataDir: string, count: number) {
  const sharp = (await import("sharp")).default;
  const { database } = await import("../../app/db.server.ts");
  const { registerShop } = await import("../../app/shops/register-shop.server.ts");
  const { createApiToken } = await import("../../app/tokens/create-token.server.ts");
  const { createStorage } = await import("../../app/storage/index.server.ts");
  const { diskStorageConfig } = await import("../../app/storage/from-env.server.ts");
  const { shopObjectKey } = await import("../../app/storage/keys.ts");
  const storage = createStorage(diskStorageConfig());
  const db = await database();
  try {
    // A photo-like JPEG (noise does not compress), stored <count> times under distinct keys.
    const photo = await sharp(randomBytes(1000 * 1000 * 3), { raw: { width: 1000, height: 1000, channels: 3 } }).jpeg({ quality: 75 }).toBuffer();
    const shop = await registerShop(db.prisma, "bench-export.myshopify.com", { name: "bench" });
    const { plaintext } = await createApiToken(db.prisma, { shopId: shop.id, name: "bench", scopes: ["read", "write"] });
    const keys: string[] = [];
    const rows = [];
    for (let i = 0; i < count; i++) {
      const id = `bench${String(i).padStart(6, "0")}`;
      const originalKey = shopObjectKey(shop.id, "uploads", id, "original", "jpg");
      await storage.put(originalKey, photo, { contentType: "image/jpeg", contentLength: photo.length });
      keys.push(originalKey);
      rows.push({
        id,
        shopId: shop.id,
        kind: "upload" as const,
        sha256: `${i}`.padStart(64, "0"),
        dedupeKey: `upload:${i}`,
        format: "jpeg",
        mimeType: "image/jpeg",
        width: 1000,
        height: 1000,
        bytes: photo.length,
        originalKey,
        displayKey: originalKey,
        thumbKey: originalKey,
        filename: `photo-${i}.jpg`,
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
      });
    }
    await db.prisma.asset.createMany({ data: rows });
    void dataDir;
    return { plaintext, originals: { keys, bytes: photo.length * count } };
  } finally {
    await db.close();
  }
}
