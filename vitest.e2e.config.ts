import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// End-to-end: the built app against the local Shopify simulator, driven in Debian's Chromium.
export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  test: {
    include: ["tests/e2e/**/*.e2e.ts"],
    globalSetup: ["tests/e2e/support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: "forks",
    reporters: process.env.VITEST_JSON ? ["default", "json"] : ["default"],
    outputFile: process.env.VITEST_JSON ? { json: process.env.VITEST_JSON.replace(/\.json$/, "-e2e.json") } : undefined,
  },
});
