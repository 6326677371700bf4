// Starts Lightbox against the local Shopify simulator: the simulator in this process, the built
// app (build/server/index.js) as a child process pointed at it. Used by the demo (`npm start`),
// the end-to-end tests and benchmarks. Runs on Node 24 directly (type stripping).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { DEFAULT_API_KEY, DEFAULT_API_SECRET, startSimulator, type RunningSimulator, type SimulatorOptions } from "./index.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DEMO_SHOP = "lightbox-demo.myshopify.com";

export type StackOptions = {
  appPort?: number;
  simulatorPort?: number;
  /** Where the app keeps PGlite and objects (default .data). */
  dataDir?: string;
  /** Build the app first (`remix build`). */
  build?: boolean;
  /** Extra environment for the app process. */
  env?: Record<string, string>;
  simulator?: SimulatorOptions;
  /** Forward the app's output (default: keep it for errors only). */
  inheritOutput?: boolean;
};

export type Stack = {
  sim: RunningSimulator;
  app: ChildProcess;
  appUrl: string;
  /** The admin page that embeds the app for the demo shop (optionally at an app path). */
  adminUrl(path?: string): string;
  output(): string;
  /** Stops the app (SIGTERM: it closes its database) and then the simulator. */
  stop(): Promise<void>;
  /** Stops only the app, e.g. to inspect its database. */
  stopApp(signal?: NodeJS.Signals): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export function buildApp(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error("remix build failed");
}

async function waitForHealth(url: string, app: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`The app exited (code ${app.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The app did not answer /healthz within ${timeoutMs} ms:\n${output()}`);
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  if (options.build) buildApp();
  const appPort = options.appPort ?? (await freePort());
  const appUrl = `http://127.0.0.1:${appPort}`;
  const sim = await startSimulator({
    port: options.simulatorPort ?? 0,
    appUrl,
    apiKey: DEFAULT_API_KEY,
    apiSecret: DEFAULT_API_SECRET,
    ...options.simulator,
  });

  const dataDir = options.dataDir ?? path.join(ROOT, ".data");
  mkdirSync(dataDir, { recursive: true });
  let log = "";
  const app = spawn(process.execPath, ["build/server/index.js"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "development",
      // glibc keeps one malloc arena per thread; sharp's threads then hold memory (docs/decisions/0024*).
      MALLOC_ARENA_MAX: "2",
      PORT: String(appPort),
      HOST: "127.0.0.1",
      SHOPIFY_APP_URL: appUrl,
      SHOPIFY_API_KEY: DEFAULT_API_KEY,
      SHOPIFY_API_SECRET: DEFAULT_API_SECRET,
      SHOPIFY_SIMULATOR_URL: sim.url,
      // Read by shopify-app-remix's Node adapter at import: its bounce page then loads the
      // simulator's App Bridge stand-in instead of Shopify's CDN.
      APP_BRIDGE_URL: `${sim.url}/app-bridge.js`,
      DATA_DIR: dataDir,
      ...options.env,
    },
    stdio: ["ignore", options.inheritOutput ? "inherit" : "pipe", options.inheritOutput ? "inherit" : "pipe"],
  });
  app.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  app.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const output = () => log;

  const stopApp = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (app.exitCode !== null || app.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => app.once("exit", () => resolve()));
    app.kill(signal);
    await exited;
  };
  try {
    await waitForHealth(appUrl, app, output);
  } catch (error) {
    await stopApp("SIGKILL");
    await sim.stop();
    throw error;
  }
  return {
    sim,
    app,
    appUrl,
    adminUrl: (appPath = "") => sim.adminUrl(DEMO_SHOP, appPath),
    output,
    stopApp,
    async stop() {
      await stopApp();
      await sim.stop();
    },
  };
}
