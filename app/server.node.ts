// The Node entry. remix.config.js compiles it together with the app into build/server/index.js:
//   node build/server/index.js          web server (and, without REDIS_URL, the job runner)
//   node build/server/index.js worker   BullMQ worker process (REDIS_URL required)
// First: refuse to start on a missing or malformed configuration, naming what to set.
import "~/check-config.server";

import { createRequestHandler } from "@remix-run/express";
import * as build from "@remix-run/dev/server-build";
import { installGlobals } from "@remix-run/node";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import compression from "compression";
import express, { type RequestHandler } from "express";

import { flushRequestLogs } from "~/api/request-log.server";
import { database, type Database } from "~/db.server";
import { adaptHeaderForSimulator } from "~/dev/shopify-simulator.server";
import { env, type Env } from "~/env.server";
import { checkGeminiModels } from "~/health/check-health.server";
import { configureJobQueue } from "~/jobs/configure.server";
import type { JobQueue } from "~/jobs/queue.server";
import { releaseAllProductLocks } from "~/publish/product-lock.server";
import { connectAdminClients } from "~/shopify.server";
import { DISK_FILES_PATH, appStorage, diskStorageConfig } from "~/storage/from-env.server";
import { serveDiskObject } from "~/storage/index.server";

installGlobals({ nativeFetch: true });

const config = env();
const db = await database();
connectAdminClients();
// PGlite belongs to this one process: product leases left in it are a previous process's.
if (db.kind === "pglite") await releaseAllProductLocks(db.prisma);
const queue = configureJobQueue(db);
// With Lightbox's own Gemini key: warn about configured image models the key's account lacks (never fatal).
void checkGeminiModels()?.catch(() => undefined);

if (process.argv[2] === "worker") await startWorker(config, db, queue);
else await startWeb(config, db, queue);

function onSignal(stop: (signal: string) => Promise<void>) {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => void stop(signal).finally(() => process.exit(0)));
  }
}

async function startWorker(config: Env, db: Database, queue: JobQueue) {
  if (queue.kind !== "bullmq") {
    console.error("[lightbox] the worker needs REDIS_URL: without it, jobs run inside the web process.");
    process.exit(2);
  }
  await queue.start();
  console.log(`[lightbox] worker running (concurrency ${config.jobConcurrency})`);
  onSignal(async (signal) => {
    console.log(`[lightbox] worker ${signal}: finishing running jobs`);
    await queue.stop();
    await db.close();
  });
}

/**
 * Presigned disk objects (the embedded storage), served here rather than through Remix: Remix's
 * response writer does not wait for a slow client, so a large download (an export archive) would
 * pile up in memory. `pipeline` writes only as fast as the client reads. Same checks as the
 * files.$ route (serveDiskObject); with R2, downloads go to R2 and this is never reached.
 */
function diskFiles(): RequestHandler {
  return (req, res, next) => {
    const storage = appStorage();
    if (storage.kind !== "disk") return next();
    const { signingSecret, publicBaseUrl } = diskStorageConfig();
    const request = new Request(new URL(req.originalUrl, publicBaseUrl), { method: req.method });
    serveDiskObject(request, { storage, signingSecret, publicBaseUrl })
      .then(async (response) => {
        res.status(response.status);
        response.headers.forEach((value, name) => res.setHeader(name, value));
        if (!response.body) return void res.end();
        await pipeline(Readable.fromWeb(response.body as never), res);
      })
      .catch((error: unknown) => {
        if (!res.headersSent) next(error);
        else res.destroy(error as Error);
      });
  };
}

/** Dev only: lets the local simulator's admin page frame the app, keeps the CDN out. */
function simulatorHeaders(simulatorUrl: string): RequestHandler {
  return (_req, res, next) => {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name: string, value: number | string | readonly string[]) => {
      if (typeof value !== "string") return setHeader(name, value);
      const adapted = adaptHeaderForSimulator(name, value, simulatorUrl);
      return adapted === null ? res : setHeader(name, adapted);
    };
    next();
  };
}

async function startWeb(config: Env, db: Database, queue: JobQueue) {
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  if (config.simulatorUrl) app.use(simulatorHeaders(config.simulatorUrl));
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.get(`${DISK_FILES_PATH}/*`, diskFiles());
  // The client's address reaches routes as context.clientIp (API request logs, token last-used IP,
  // the per-IP limit on failed authentications): the socket's, or with TRUST_PROXY_HOPS > 0 the
  // X-Forwarded-For entry that many proxies in (express's req.ip), never a header a client chose.
  app.set("trust proxy", config.trustProxyHops);
  app.all("*", createRequestHandler({ build, mode: config.nodeEnv, getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? null }) }));

  const { port, host } = config;
  const server = app.listen(port, host, () => {
    console.log(`[lightbox] listening on http://${host}:${port} (database: ${db.kind}, jobs: ${queue.kind})`);
  });
  // Without Redis the web process runs the jobs itself.
  if (queue.kind === "embedded") await queue.start();

  onSignal(async (signal) => {
    console.log(`[lightbox] ${signal}: shutting down`);
    server.close();
    await queue.stop();
    await flushRequestLogs();
    await db.close();
  });
}
