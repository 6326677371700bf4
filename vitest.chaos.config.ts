import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The chaos suite (docs/decisions/0075-chaos-suite.md): the built app on PostgreSQL + Redis,
// faults injected, a few minutes. Builds the app first like the end-to-end tests.
export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  test: {
    include: ["tests/chaos/**/*.chaos.ts"],
    globalSetup: ["tests/e2e/support/global-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: "forks",
    reporters: process.env.VITEST_JSON ? ["default", "json"] : ["default"],
    outputFile: process.env.VITEST_JSON ? { json: process.env.VITEST_JSON } : undefined,
  },
});
