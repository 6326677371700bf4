// The built app (build/server/index.js) as a child process the test can kill -9 and start again.
import { spawn, type ChildProcess } from "node:child_process";

import type { JobQueue } from "~/jobs/queue.server";

import { APP_ROOT } from "./browser";

export type AppChild = ChildProcess & { log: () => string };

/** `args` as for the app (["worker"] for a worker); development mode, 2 s job leases, then `env`. */
export function startApp(args: string[], env: Record<string, string>): AppChild {
  let log = "";
  const child = spawn(process.execPath, ["build/server/index.js", ...args], {
    cwd: APP_ROOT,
    env: { ...process.env, NODE_ENV: "development", JOB_LEASE_MS: "2000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (c: Buffer) => (log += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (log += c.toString()));
  return Object.assign(child, { log: () => log });
}

export const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

/** A queue that runs nothing: the test's rows wait in the database for the app process. */
export const noDispatch: JobQueue = { kind: "embedded", dispatch: async () => undefined, start: async () => undefined, stop: async () => undefined };
