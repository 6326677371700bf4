// Public API overhead benchmark: `npm run bench -- api [seconds] [connections]`.
// One HTTP server in this process serves two routes through the same Node <-> Fetch adapter:
//   GET /bench/bare   a bare JSON response (the floor: HTTP + adapter)
//   GET /api/v1/me    the real route: token shape/checksum, HMAC lookup in the database, rate
//                     limiter, scope check, credit balance query, JSON, request-log INSERT
// A load generator in a child process (the other core) keeps N keep-alive connections busy.
// Prints both throughputs and latencies and the ratio me/bare (target >= 0.5).
// Database: in-memory PGlite by default; BENCH_POSTGRES_URL=postgresql://.../postgres runs it on a
// PostgreSQL server, in a throwaway database created and dropped by the bench.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import pg from "pg";

const TARGET_RATIO = 0.5;

const LOAD_SCRIPT = `
const [url, seconds, connections, token] = process.argv.slice(1);
const headers = token ? { authorization: "Bearer " + token, "user-agent": "lightbox-bench/1" } : { "user-agent": "lightbox-bench/1" };
const deadline = performance.now() + Number(seconds) * 1000;
const latencies = [];
let errors = 0;
async function worker() {
  while (performance.now() < deadline) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) errors++;
    latencies.push(performance.now() - t);
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: Number(connections) }, worker));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
process.stdout.write(JSON.stringify({ requests: latencies.length, errors, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99) }));
`;

type LoadResult = { requests: number; errors: number; rps: number; p50: number; p99: number };

function load(url: string, seconds: number, connections: number, token?: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", LOAD_SCRIPT, url, String(seconds), String(connections), token ?? ""], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited with ${code}`))));
  });
}

/** Node request -> Fetch Request -> handler -> Node response (what the Remix adapter does too). */
function adapter(handler: (request: Request, context: unknown) => Promise<Response>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      }
      const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, { method: req.method, headers });
      const response = await handler(request, { clientIp: req.socket.remoteAddress });
      const body = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(body);
    } catch (error) {
      res.writeHead(500);
      res.end(String(error));
    }
  };
}

export async function run(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 5);
  const connections = Number(args[1] ?? 16);
  const dataDir = mkdtempSync(join(tmpdir(), "lightbox-bench-api-"));
  process.env.NODE_ENV ??= "production";
  const adminUrl = process.env.BENCH_POSTGRES_URL;
  const throwaway = `lbx_bench_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  if (adminUrl) {
    await admin(`CREATE DATABASE ${throwaway}`);
    const url = new URL(adminUrl);
    url.pathname = `/${throwaway}`;
    process.env.DATABASE_URL = url.toString();
  } else process.env.DATABASE_URL = "memory://";
  process.env.DATA_DIR = dataDir;
  process.env.ENCRYPTION_KEYS ??= `bench:${randomBytes(32).toString("base64")}`;
  process.env.SHOPIFY_API_KEY ??= "bench-key";
  process.env.SHOPIFY_API_SECRET ??= "bench-secret";
  process.env.SHOPIFY_APP_URL ??= "https://bench.example.com";
  delete process.env.REDIS_URL; // the embedded default: in-process rate limiter

  const { database } = await import("../../app/db.server.ts");
  const { configureApi } = await import("../../app/api/config.server.ts");
  const { registerShop } = await import("../../app/shops/register-shop.server.ts");
  const { createApiToken } = await import("../../app/tokens/create-token.server.ts");
  const me = await import("../../app/routes/api.v1.me.ts");
  const { verifyApiToken } = await import("../../app/tokens/verify-token.server.ts");
  const { creditBalance } = await import("../../app/credits/ledger.server.ts");
  const { flushRequestLogs, writeRequestLog } = await import("../../app/api/request-log.server.ts");

  const db = await database();
  try {
    // The limiter runs (and costs what it costs) but never refuses during the run.
    configureApi({ rateLimit: { limit: 1_000_000_000, windowMs: 60_000 }, shopRateLimit: { limit: 1_000_000_000, windowMs: 60_000 } });
    const shop = await registerShop(db.prisma, "bench.myshopify.com", { name: "bench" });
    const { plaintext } = await createApiToken(db.prisma, { shopId: shop.id, name: "bench", scopes: ["read"] });

    const server = createServer(
      adapter(async (request, context) => {
        const { pathname } = new URL(request.url);
        if (pathname === "/bench/bare") return Response.json({ ok: true, shop: { domain: "bench.myshopify.com" } });
        if (pathname === "/api/v1/me") return me.loader({ request, params: {}, context });
        return new Response("not found", { status: 404 });
      }),
    );
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    console.log(`Node ${process.version}, database ${db.kind}, ${connections} connections, ${seconds} s per run, load generator in a child process`);
    // Warm up both paths (JIT, prepared statements, connection pool).
    await load(`${base}/bench/bare`, 1, connections);
    await load(`${base}/api/v1/me`, 1, connections, plaintext);
    await flushRequestLogs();
    const logsBefore = await db.prisma.apiRequestLog.count();

    const bare1 = await load(`${base}/bench/bare`, seconds, connections);
    const api = await load(`${base}/api/v1/me`, seconds, connections, plaintext);
    const bare2 = await load(`${base}/bench/bare`, seconds, connections);
    await flushRequestLogs();
    const logged = (await db.prisma.apiRequestLog.count()) - logsBefore;
    server.close();

    const bareRps = (bare1.rps + bare2.rps) / 2;
    const fmt = (r: LoadResult) => `${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms   (${r.requests} requests, ${r.errors} errors)`;
    console.log(`bare JSON route  ${fmt(bare1)}`);
    console.log(`GET /api/v1/me   ${fmt(api)}`);
    console.log(`bare JSON again  ${fmt(bare2)}`);
    console.log(`request log rows written during the measured run: ${logged} (expected ${api.requests})`);
    // Where the time of one /me goes, measured one call at a time in this process.
    const perCall = async (fn: () => Promise<unknown>, n = 300) => {
      for (let i = 0; i < 20; i++) await fn();
      const t = performance.now();
      for (let i = 0; i < n; i++) await fn();
      return ((performance.now() - t) / n).toFixed(3);
    };
    let seq = 0;
    const meRequest = () => new Request("http://bench/api/v1/me", { headers: { authorization: `Bearer ${plaintext}` } });
    console.log(
      `per call (sequential): whole /me loader ${await perCall(() => me.loader({ request: meRequest(), params: {}, context: {} }))} ms = ` +
        `token lookup ${await perCall(() => verifyApiToken(db.prisma, plaintext))} ms + ` +
        `creditBalance ${await perCall(() => creditBalance(db.prisma, shop.id))} ms + ` +
        `log insert ${await perCall(() => writeRequestLog(db.prisma, { id: `bench-${seq++}`, shopId: shop.id, tokenId: null, method: "GET", route: "/bench", status: 200, durationMs: 0, ip: null, userAgent: null, createdAt: new Date() }))} ms + rest`,
    );
    const ratio = api.rps / bareRps;
    console.log(`ratio me/bare = ${ratio.toFixed(2)} (target >= ${TARGET_RATIO}): ${ratio >= TARGET_RATIO ? "PASS" : "FAIL"}`);
    if (api.errors > 0 || logged !== api.requests) {
      console.log("FAIL: errors during the run, or a request without its log row");
      process.exitCode = 1;
    } else if (ratio < TARGET_RATIO) process.exitCode = 1;
  } finally {
    await flushRequestLogs();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (adminUrl) await admin(`DROP DATABASE IF EXISTS ${throwaway} WITH (FORCE)`);
  }
}
