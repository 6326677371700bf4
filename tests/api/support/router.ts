// A small stand-in for Remix's router over the API's resource routes: file name -> URL pattern
// exactly as Remix's flat routes convention reads them, loader for GET/HEAD, action otherwise.
// Tests, the docs test and the benchmark send real Requests through it to the real modules.
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

type Handler = (args: { request: Request; params: Record<string, string | undefined>; context: unknown }) => Promise<Response>;
export type ApiRouteModule = { loader?: Handler; action?: Handler };

export const ROUTES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../app/routes");

/** Route files of the public API: app/routes/api.v1.*.ts */
export function apiRouteFiles(): string[] {
  return readdirSync(ROUTES_DIR)
    .filter((file) => /^api\.v1\..+\.tsx?$/.test(file))
    .sort();
}

/** "api.v1.assets.$id.ts" -> "/api/v1/assets/:id"; "api.v1.openapi[.]json.ts" -> "/api/v1/openapi.json"; "api.v1.$.ts" -> "/api/v1/*". */
export function routePattern(file: string): string {
  const base = file.replace(/\.tsx?$/, "");
  const segments: string[] = [];
  let current = "";
  let escaped = false;
  for (const char of base) {
    if (char === "[") escaped = true;
    else if (char === "]") escaped = false;
    else if (char === "." && !escaped) {
      segments.push(current);
      current = "";
    } else current += char;
  }
  segments.push(current);
  return `/${segments
    .filter((s) => s !== "_index")
    .map((s) => (s === "$" ? "*" : s.startsWith("$") ? `:${s.slice(1)}` : s))
    .join("/")}`;
}

type Compiled = { file: string; pattern: string; regex: RegExp; names: string[]; score: number; module: ApiRouteModule };

let compiled: Promise<Compiled[]> | undefined;

export function loadApiRoutes(): Promise<Compiled[]> {
  compiled ??= Promise.all(
    apiRouteFiles().map(async (file) => {
      const pattern = routePattern(file);
      const names: string[] = [];
      const source = pattern
        .split("/")
        .map((segment) => {
          if (segment === "*") {
            names.push("*");
            return "(.*)";
          }
          if (segment.startsWith(":")) {
            names.push(segment.slice(1));
            return "([^/]+)";
          }
          return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("/");
      const segments = pattern.split("/");
      const score = segments.includes("*") ? -1 : segments.filter((s) => s && !s.startsWith(":")).length * 10 + segments.length;
      const module = (await import(pathToFileURL(path.join(ROUTES_DIR, file)).href)) as ApiRouteModule;
      return { file, pattern, regex: new RegExp(`^${source}/?$`), names, score, module };
    }),
  ).then((routes) => routes.sort((a, b) => b.score - a.score));
  return compiled;
}

/** Routes a Request to the matching route module, as Remix would. */
export async function dispatch(request: Request, context: unknown = {}): Promise<Response> {
  return (await dispatchRoute(request, context)).response;
}

/** `dispatch`, also saying which route pattern answered (null: no route matched). */
export async function dispatchRoute(request: Request, context: unknown = {}): Promise<{ response: Response; pattern: string | null }> {
  const { pathname } = new URL(request.url);
  for (const route of await loadApiRoutes()) {
    const match = route.regex.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1] ?? "")));
    const method = request.method.toUpperCase();
    const handler = method === "GET" || method === "HEAD" ? route.module.loader : route.module.action;
    // What Remix itself answers when a route has no action (405) or no loader (400) for the
    // method: JSON that is not problem+json, without Allow. API routes must not get here.
    if (!handler) {
      return { response: Response.json({ message: "Unexpected Server Error" }, { status: method === "GET" || method === "HEAD" ? 400 : 405 }), pattern: route.pattern };
    }
    return { response: await handler({ request, params, context }), pattern: route.pattern };
  }
  return { response: new Response("Not Found", { status: 404 }), pattern: null };
}
