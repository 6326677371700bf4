// Runs an app against the local Shopify simulator: the simulator in this process, the app's
// built server as a child process pointed at it. Knows nothing of the app's code: it gets the
// app's root directory and the command to start it, and hands the app the environment of a
// Shopify app (SHOPIFY_APP_URL, SHOPIFY_API_KEY / SHOPIFY_API_SECRET, APP_BRIDGE_URL) plus
// SHOPIFY_SIMULATOR_URL. Lightbox uses it for `npm start` (demo.ts), its end-to-end tests and
// benchmarks. Runs on Node 24 directly (type stripping).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

import { loadAppExtensions, type AppExtension } from "./extensions.ts";
import { DEMO_SHOP, startSimulator, type RunningSimulator, type SimulatorOptions } from "./index.ts";

export type StackOptions = {
  /** The app's root directory: the app runs there (relative paths below resolve from it). */
  appRoot: string;
  /** The app's server, started with this process's Node (default `build/server/index.js`). */
  command?: string[];
  /** Build the app first (`buildApp`). */
  build?: boolean;
  /** Polled until it answers 2xx before the stack counts as started (default `/healthz`). */
  healthPath?: string;
  appPort?: number;
  simulatorPort?: number;
  /** Extra environment for the app process (e.g. DATA_DIR). */
  env?: Record<string, string>;
  simulator?: SimulatorOptions;
  /**
   * The app's admin UI extensions the admin's Products pages offer. Default: the built ones found
   * in `<appRoot>/extensions` (loadAppExtensions), read after the build.
   */
  extensions?: AppExtension[];
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

/** Builds the app: its own `npm run build` unless `command` says otherwise. */
export function buildApp(options: { appRoot: string; command?: string[] }): void {
  const [file = "npm", ...args] = options.command ?? ["npm", "run", "build"];
  const result = spawnSync(file, args, { cwd: options.appRoot, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${[file, ...args].join(" ")} failed${result.error ? `: ${result.error.message}` : ""}`);
}

async function waitForHealth(url: string, app: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`The app exited (code ${app.exitCode}):\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The app did not answer ${url} within ${timeoutMs} ms:\n${output()}`);
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const appRoot = path.resolve(options.appRoot);
  if (options.build) buildApp({ appRoot });
  const appPort = options.appPort ?? (await freePort());
  const appUrl = `http://127.0.0.1:${appPort}`;
  const extensions = options.extensions ?? loadAppExtensions(appRoot).extensions;
  const sim = await startSimulator({ port: options.simulatorPort ?? 0, appUrl, extensions, ...options.simulator });

  let log = "";
  const [script = "build/server/index.js", ...args] = options.command ?? [];
  const app = spawn(process.execPath, [script, ...args], {
    cwd: appRoot,
    env: {
      ...process.env,
      // Never production: the app refuses SHOPIFY_SIMULATOR_URL there.
      NODE_ENV: "development",
      PORT: String(appPort),
      HOST: "127.0.0.1",
      SHOPIFY_APP_URL: appUrl,
      SHOPIFY_API_KEY: sim.options.apiKey,
      SHOPIFY_API_SECRET: sim.options.apiSecret,
      SHOPIFY_SIMULATOR_URL: sim.url,
      // Read by shopify-app-remix's Node adapter at import: its bounce page then loads the
      // simulator's App Bridge stand-in instead of Shopify's CDN.
      APP_BRIDGE_URL: `${sim.url}/app-bridge.js`,
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
    await waitForHealth(`${appUrl}${options.healthPath ?? "/healthz"}`, app, output);
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
