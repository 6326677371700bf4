// Samples the main thread with V8's profiler (node:inspector) while `work` runs and sums the
// samples' self time by where the code comes from: SQL (PGlite's WASM Postgres and its JS, Prisma's
// client and query compiler), the Gemini SDK and HTTP (undici, JSON), images, GC, the rest. WASM
// and native frames (JSON.parse, base64, Buffer copies) count for the JS function that called them.
// Only the main thread: libvips (sharp) and hashing run on libuv's pool, which process.cpuUsage()
// counts but the profiler does not see.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

type Node = { id: number; callFrame: { functionName: string; url: string }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

function category(url: string, functionName: string): string {
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(idle)") return "idle";
  if (/pglite|@prisma|generated\/prisma/.test(url)) return "SQL (PGlite, Prisma)";
  if (/@google\/genai|undici|node:internal\/(deps\/undici|webstreams)|gemini\.server/.test(url)) return "SDK + HTTP (genai, undici, streams)";
  if (/sharp|app\/images|app\/assets/.test(url)) return "images + assets (JS side)";
  if (/app\/storage/.test(url)) return "storage (JS side)";
  if (/\/app\//.test(url)) return "app (other JS)";
  if (/\/tests\//.test(url)) return "bench harness";
  if (functionName === "(program)") return "V8 (program)";
  return "Node core / other";
}

/**
 * `saveAs`: also write the raw profile there (open it in Chrome DevTools or speedscope).
 * Samples are taken on wall-clock ticks, so on a busy machine they also count time the thread
 * waited for a core: scale the categories to the thread's measured CPU to compare runs.
 */
export async function profileMainThread<T>(work: () => Promise<T>, saveAs?: string): Promise<{ result: T; byCategoryMs: Array<[string, number]> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  const result = await work();
  const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
  session.disconnect();
  if (saveAs) writeFileSync(saveAs, JSON.stringify(profile));

  // WASM has no file name: it counts for the JS that called it (PGlite's Postgres, Prisma's query
  // compiler, undici's HTTP parser).
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const categoryOf = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { url, functionName } = byId.get(at)!.callFrame;
      if (functionName.startsWith("(")) return category(url, functionName);
      // WASM and native code (JSON.parse, base64, Buffer copies) count for the JS that called them.
      // So does Node's own JS (Buffer.concat, fs), except fetch's (undici, web streams).
      if (!url || url.startsWith("wasm://")) continue;
      const c = category(url, functionName);
      if (c === "Node core / other" && url.startsWith("node:")) continue;
      return c;
    }
    return "native (no JS caller)";
  };
  const sums = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const c = categoryOf(id);
    sums.set(c, (sums.get(c) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  sums.delete("idle");
  return { result, byCategoryMs: [...sums].sort((a, b) => b[1] - a[1]) };
}
