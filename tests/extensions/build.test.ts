// `shopify app build` (the Shopify CLI, offline) builds both admin UI extensions into the bundles
// Shopify uploads and the local Shopify's extension host runs: one script per extension that
// registers its target with `shopify.extend`, small enough for Shopify's 64 KB limit.
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const EXTENSIONS = [
  { dir: "bulk-generate", handle: "lightbox-bulk-generate", target: "admin.product-index.selection-action.render", says: ["Start batch", "/api/extensions/batches/preview"] },
  { dir: "studio-action", handle: "lightbox-open-studio", target: "admin.product-details.action.render", says: ["Open the Studio", "/api/extensions/products/"] },
];

describe("shopify app build", () => {
  it("GIVEN the extensions WHEN the CLI builds them offline THEN each bundle registers its target and stays under 64 KB", { timeout: 120_000 }, () => {
    const started = Date.now();
    const run = spawnSync(path.join(ROOT, "node_modules/.bin/shopify"), ["app", "build", "--skip-dependencies-installation", "--path", ROOT], {
      cwd: ROOT,
      env: { ...process.env, SHOPIFY_CLI_NO_ANALYTICS: "1", CI: "1" },
      encoding: "utf8",
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    for (const extension of EXTENSIONS) {
      const file = path.join(ROOT, "extensions", extension.dir, "dist", `${extension.handle}.js`);
      expect(statSync(file).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
      const source = readFileSync(file, "utf8");
      expect(source).toContain(`shopify.extend("${extension.target}"`);
      for (const text of extension.says) expect(source).toContain(text);
      expect(gzipSync(source).length).toBeLessThan(64 * 1024);
    }
  });
});
