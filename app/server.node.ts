// The Node entry. remix.config.js compiles it together with the app into build/server/index.js:
//   node build/server/index.js          web server (and, without REDIS_URL, the job runner)
//   node build/server/index.js worker   BullMQ worker process (REDIS_URL required)
import { createRequestHandler } from "@remix-run/express";
import * as build from "@remix-run/dev/server-build";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express, { type RequestHandler } from "express";

import { flushRequestLogs } from "~/api/request-log.server";
import { database, type Database } from "~/db.server";
import { adaptHeaderForSimulator } from "~/dev/shopify-simulator.server";
import { env, type Env } from "~/env.server";
import { configureJobQueue } from "~/jobs/configure.server";
import type { JobQueue } from "~/jobs/queue.server";

installGlobals({ nativeFetch: true });

const config = env();
const db = await database();
const queue = configureJobQueue(db);

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
  // The socket's address reaches routes as context.clientIp (API request logs, token last-used IP).
  app.all("*", createRequestHandler({ build, mode: config.nodeEnv, getLoadContext: (req) => ({ clientIp: req.socket.remoteAddress ?? null }) }));

  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? (config.nodeEnv === "production" ? "0.0.0.0" : "127.0.0.1");
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
