// The Node server entry. remix.config.js compiles it together with the app into
// build/server/index.js, so `node build/server/index.js` starts Lightbox.
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import * as build from "@remix-run/dev/server-build";
import compression from "compression";
import express from "express";

import { database } from "~/db.server";
import { env } from "~/env.server";

installGlobals({ nativeFetch: true });

const config = env();
const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: config.nodeEnv }));

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? (config.nodeEnv === "production" ? "0.0.0.0" : "127.0.0.1");
const server = app.listen(port, host, () => {
  console.log(`[lightbox] listening on http://${host}:${port} (database: ${process.env.DATABASE_URL ? "postgresql" : "embedded PGlite"})`);
});

async function shutdown(signal: string) {
  console.log(`[lightbox] ${signal}: shutting down`);
  server.close();
  await (await database()).close();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
