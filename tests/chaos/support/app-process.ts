// The built app as separate processes, as production runs it at scale: one web process and
// worker processes (BullMQ on Redis), all on one PostgreSQL. Each can be killed with SIGKILL and
// started again.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");

export type AppProcess = {
  name: string;
  url?: string;
  start(): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
  /** Whether the process is still running (only the faults the suite injects may stop one). */
  alive(): boolean;
};

export function appProcess(name: string, env: Record<string, string>, options: { worker?: boolean; port?: number } = {}): AppProcess {
  let child: ChildProcess | undefined;
  let log = "";
  const url = options.port ? `http://127.0.0.1:${options.port}` : undefined;
  const exited = () => new Promise<void>((resolve) => (!child || child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
  const self: AppProcess = {
    name,
    url,
    async start() {
      child = spawn(process.execPath, ["--max-semi-space-size=8", "build/server/index.js", ...(options.worker ? ["worker"] : [])], {
        cwd: ROOT,
        env: { ...process.env, ...env, ...(options.port ? { PORT: String(options.port), HOST: "127.0.0.1" } : {}) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-200_000)));
      child.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-200_000)));
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${log.slice(-4000)}`);
        if (url ? (await fetch(`${url}/healthz`).catch(() => null))?.ok : /worker running/.test(log)) return;
        if (Date.now() > deadline) throw new Error(`${name} did not start:\n${log.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill9() {
      child?.kill("SIGKILL");
      await exited();
    },
    async stop() {
      child?.kill("SIGTERM");
      await exited();
    },
    output: () => log,
    alive: () => Boolean(child && child.exitCode === null && child.signalCode === null),
  };
  return self;
}
