// Benchmark dispatcher: `npm run bench -- <name>` = `node tests/bench/run.ts <name>`.
// Runs tests/bench/<name>.ts under plain Node (>= 22.18 strips TypeScript types). App modules
// use Vite-style imports (no extension, `~/` alias), so a small resolve hook maps those to files.
import { existsSync, readdirSync } from "node:fs";
import { registerHooks } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const appDir = resolve(here, "../../app");

registerHooks({
  resolve(specifier, context, nextResolve) {
    let target = specifier;
    if (specifier.startsWith("~/")) target = pathToFileURL(join(appDir, specifier.slice(2))).href;
    const relative = target.startsWith("./") || target.startsWith("../") || target.startsWith("file:");
    if (relative && context.parentURL && !/\.[cm]?[jt]sx?$/.test(target)) {
      const base = fileURLToPath(new URL(target, context.parentURL));
      for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
        if (existsSync(candidate)) return nextResolve(pathToFileURL(candidate).href, context);
      }
    }
    return nextResolve(target, context);
  },
});

const available = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.replace(/\.ts$/, ""));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join("|")}>`);
  process.exit(2);
}
const bench = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { run(args: string[]): Promise<void> };
await bench.run(process.argv.slice(3));
