// Debian's Chromium driven by playwright-core (never a downloaded browser). Every page visited
// is screenshotted into tests/.artifacts/screenshots/, and every request is recorded so a test
// can prove nothing left 127.0.0.1.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { startStack, type Stack } from "@lightbox/shopify-simulator/stack";
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

export const SCREENSHOTS = path.resolve(__dirname, "../../.artifacts/screenshots");
/** The repository root: the built app the stack starts (build/server/index.js) lives there. */
export const APP_ROOT = path.resolve(__dirname, "../../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// The app (like Shopify) refuses requests from bots, and headless Chromium says it is one.
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true") throw new Error(`Chromium is required in CI but ${CHROMIUM} is missing (apt-get install chromium)`);
  return false;
}

export type Session = {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  requests: string[];
  /** Screenshot of the admin page as the merchant sees it (scroll the app first to show a part). */
  shot(name: string): Promise<string>;
  /** The embedded app's frame inside the admin page. */
  appFrame(appUrl: string): Promise<Frame>;
  close(): Promise<void>;
};

export async function openBrowser(suite: string): Promise<Session> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, userAgent: USER_AGENT });
  const page = await context.newPage();
  const requests: string[] = [];
  context.on("request", (request) => requests.push(request.url()));
  mkdirSync(SCREENSHOTS, { recursive: true });
  let n = 0;
  return {
    browser,
    context,
    page,
    requests,
    async shot(name) {
      n += 1;
      const file = path.join(SCREENSHOTS, `${suite}-${String(n).padStart(2, "0")}-${name}.png`);
      // The page as the merchant sees it once its images have loaded (a thumbnail made on its
      // first request is otherwise an empty box in the picture). Best effort: never fails a test.
      await Promise.all(
        page.frames().map((frame) =>
          frame.waitForFunction(() => Array.from(document.images).every((img) => img.complete), undefined, { timeout: 5_000 }).catch(() => undefined),
        ),
      );
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async appFrame(appUrl) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const frame = page.frames().find((f) => f.url().startsWith(appUrl));
        if (frame) return frame;
        if (Date.now() > deadline) throw new Error(`No app frame from ${appUrl}; frames: ${page.frames().map((f) => f.url()).join(", ")}`);
        await page.waitForTimeout(100);
      }
    },
    close: () => browser.close(),
  };
}

/** Hosts of every request the browser made, other than the machine's own loopback. */
export function externalHosts(requests: string[]): string[] {
  const hosts = requests
    .filter((url) => /^https?:/.test(url))
    .map((url) => new URL(url).hostname)
    .filter((host) => !["127.0.0.1", "localhost", "[::1]"].includes(host));
  return [...new Set(hosts)];
}

/**
 * The usual e2e setup: an app + simulator stack on a temporary data dir and a browser, torn down
 * after the file. `ctx.enabled` is false where Chromium is missing (outside CI). `options.env`
 * adds to the app's environment (read when the stack starts, after the file's earlier hooks).
 */
export function stackAndBrowserForFile(suite: string, options: { env?: () => Record<string, string> } = {}) {
  const ctx = { enabled: chromiumAvailable(), stack: undefined as unknown as Stack, browser: undefined as unknown as Session, dataDir: "" };
  beforeAll(async () => {
    if (!ctx.enabled) return;
    ctx.dataDir = mkdtempSync(path.join(tmpdir(), `lightbox-e2e-${suite}-`));
    // MALLOC_ARENA_MAX as in `npm run serve`: sharp's threads otherwise hold memory (ADR 0024).
    ctx.stack = await startStack({ appRoot: APP_ROOT, env: { DATA_DIR: ctx.dataDir, MALLOC_ARENA_MAX: "2", ...options.env?.() } });
    ctx.browser = await openBrowser(suite);
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.stack?.stop();
    if (ctx.dataDir) rmSync(ctx.dataDir, { recursive: true, force: true });
  });
  return ctx;
}
