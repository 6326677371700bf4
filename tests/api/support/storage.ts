import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll } from "vitest";

import { createStorage } from "~/storage/index.server";
import { diskStorageConfig, setAppStorage } from "~/storage/from-env.server";

const FIXTURES = path.resolve(__dirname, "../../fixtures/images");
export const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

function walk(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
  } catch {
    return [];
  }
}

/** The app's storage on a temporary directory for this test file; `count(prefix)` counts objects. */
export function withTempStorage() {
  const state = { root: "", count: (prefix: string) => walk(path.join(state.root, prefix)).filter((f) => !f.includes(".tmp")).length };
  beforeAll(() => {
    state.root = mkdtempSync(path.join(tmpdir(), "lightbox-api-"));
    setAppStorage(createStorage({ ...diskStorageConfig(), root: state.root }));
  });
  afterAll(() => {
    setAppStorage(undefined);
    rmSync(state.root, { recursive: true, force: true });
  });
  return state;
}
