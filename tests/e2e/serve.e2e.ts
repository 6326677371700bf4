// The built server as an operator starts it: `npm run serve` fails closed on a missing
// configuration (naming every variable to set), and documents carry the security headers.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { freePort } from "@lightbox/shopify-simulator/stack";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

/** Only what a shell on a fresh server would have: no NODE_ENV, no Lightbox variables. */
function bareEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

function run(command: string, args: string[], env: Record<string, string | undefined>): ChildProcess & { output: () => string } {
  let output = "";
  // Its own process group: `npm run serve` starts node under a shell, and both must go when stopped.
  const child = spawn(command, args, { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

const exitCode = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));

/** The exit code, or "still running" (and the process is stopped) after `ms`. */
async function exitWithin(child: ChildProcess, ms = 30_000): Promise<number | null | "still running"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"still running">((resolve) => (timer = setTimeout(() => resolve("still running"), ms)));
  const result = await Promise.race([exitCode(child), timeout]);
  clearTimeout(timer);
  if (result === "still running") {
    process.kill(-child.pid!, "SIGKILL");
    await exitCode(child);
  }
  return result;
}

/** What production needs to start (every required variable, on a free port). */
async function productionEnv() {
  return {
    PORT: String(await freePort()),
    SHOPIFY_API_KEY: "client-id",
    SHOPIFY_API_SECRET: "client-secret",
    SHOPIFY_APP_URL: "https://lightbox.example.com",
    ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString("base64")}`,
  };
}

describe("npm run serve", () => {
  it("GIVEN no configuration at all THEN it refuses to start and names every variable production needs", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "lightbox-serve-"));
    try {
      const child = run("npm", ["run", "serve"], bareEnv({ DATA_DIR: dataDir, PORT: String(await freePort()) }));
      expect(await exitWithin(child)).toBe(78);
      const output = child.output();
      for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "ENCRYPTION_KEYS"]) {
        expect(output).toContain(`${name} is required in production`);
      }
      expect(output).toContain("NODE_ENV is not set, which means production");
      expect(output).not.toMatch(/\n\s+at .*\(/); // a message, not a stack trace
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("GIVEN a production configuration that points at the local simulator THEN it refuses to start", async () => {
    const child = run(
      "npm",
      ["run", "serve"],
      bareEnv({
        ...(await productionEnv()),
        SHOPIFY_SIMULATOR_URL: "http://127.0.0.1:4100",
      }),
    );
    expect(await exitWithin(child)).toBe(78);
    expect(child.output()).toContain("SHOPIFY_SIMULATOR_URL must not be set in production");
  });

  it("GIVEN an image model lineup that does not add up THEN it refuses to start, naming the variable and the models", async () => {
    const child = run(
      "npm",
      ["run", "serve"],
      bareEnv({
        ...(await productionEnv()),
        GEMINI_MODELS: "gemini-3.5-flash-image,gemini-2.5-flash-image",
        GEMINI_DEFAULT_MODEL: "gemini-3-pro-image",
      }),
    );
    expect(await exitWithin(child)).toBe(78);
    const output = child.output();
    expect(output).toContain("GEMINI_MODELS names gemini-2.5-flash-image, which is not an image model Lightbox knows");
    expect(output).toContain("GEMINI_DEFAULT_MODEL is gemini-3-pro-image, which GEMINI_MODELS does not offer");
    expect(output).not.toMatch(/\n\s+at .*\(/);
  });
});

describe("documents", () => {
  it("carry X-Content-Type-Options and Referrer-Policy", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "lightbox-serve-"));
    const port = await freePort();
    const child = run(process.execPath, ["build/server/index.js"], bareEnv({ NODE_ENV: "development", DATA_DIR: dataDir, PORT: String(port) }));
    try {
      let response: Response | undefined;
      for (let i = 0; i < 300 && !response; i++) {
        if (child.exitCode !== null) throw new Error(`the server exited:\n${child.output()}`);
        response = await fetch(`http://127.0.0.1:${port}/no-such-page`).catch(() => undefined);
        if (!response) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(response?.status).toBe(404);
      expect(response?.headers.get("content-type")).toContain("text/html");
      expect(response?.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response?.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    } finally {
      process.kill(-child.pid!, "SIGTERM");
      await exitCode(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
