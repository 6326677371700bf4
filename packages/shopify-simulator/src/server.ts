// The HTTP front door (node:http, no framework): routes requests to the Admin GraphQL endpoint,
// OAuth, the CDN, staged uploads, the admin page, the App Bridge stand-in and /_sim controls.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import sharp from "sharp";
import { adminPageHtml } from "./admin-page.ts";
import { approveCharge, chargeForPage, confirmationPageHtml, declineCharge } from "./billing.ts";
import type { HttpResult, SimContext } from "./context.ts";
import { handleControl } from "./control.ts";
import { handleAdminGraphql } from "./graphql/handler.ts";
import { handleAccessTokenRequest, parseTokenRequestBody } from "./oauth.ts";
import { extensionHostHtml, productPageHtml, productsPageHtml } from "./resource-pages.ts";
import { normalizeShopDomain } from "./state.ts";
import type { AdminFault, RenderedFile, SimShop, StoredFile } from "./state.ts";

const MAX_BODY = 60 * 1024 * 1024;
const browserFile = (name: string) => readFileSync(new URL(`./browser/${name}`, import.meta.url), "utf8");
let appBridgeSource: string | undefined;
let adminSource: string | undefined;
let adminResourcesSource: string | undefined;
let extensionHostSource: string | undefined;

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "*",
  "access-control-allow-methods": "GET, POST, PUT, OPTIONS",
};

export function createRequestListener(ctx: SimContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(ctx, req, res).catch((error: unknown) => {
      ctx.options.log(`simulator error on ${req.method ?? ""} ${req.url ?? ""}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) send(res, { status: 500, body: { errors: "Internal Server Error" } });
      else res.end();
    });
  };
}

async function route(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://simulator.local");
  const path = url.pathname;

  if (method === "OPTIONS") {
    res.writeHead(204, CORS);
    res.end();
    return;
  }

  if (path.startsWith("/admin/")) {
    const fault = ctx.state.adminFaults.shift();
    if (fault) {
      ctx.state.counters.faultsInjected++;
      await readBody(req);
      sendFault(res, fault);
      return;
    }
    const shop = requestShop(ctx, req);
    if (!shop) {
      send(res, { status: 404, body: { errors: "Not Found: no such shop (send its domain in Host or X-Shopify-Shop-Domain)" } });
      return;
    }
    if (method === "POST" && /^\/admin\/api\/[^/]+\/graphql\.json$/.test(path)) {
      const body = await readBody(req);
      const accessToken = header(req, "x-shopify-access-token");
      send(res, await handleAdminGraphql(ctx, shop, { accessToken, contentType: header(req, "content-type"), body: body.toString("utf8") }));
      return;
    }
    if (method === "POST" && path === "/admin/oauth/access_token") {
      const body = await readBody(req);
      send(res, handleAccessTokenRequest(ctx, shop.domain, parseTokenRequestBody(body.toString("utf8"), header(req, "content-type"))));
      return;
    }
    send(res, { status: 404, body: { errors: "Not Found" } });
    return;
  }

  if (method === "GET" && path === "/app-bridge.js") {
    appBridgeSource ??= browserFile("app-bridge.js");
    sendText(res, 200, appBridgeSource, "application/javascript; charset=utf-8", CORS);
    return;
  }
  if (method === "GET" && path === "/_sim/admin.js") {
    adminSource ??= browserFile("admin.js");
    sendText(res, 200, adminSource, "application/javascript; charset=utf-8");
    return;
  }
  if (method === "GET" && path === "/_sim/admin-resources.js") {
    adminResourcesSource ??= browserFile("admin-resources.js");
    sendText(res, 200, adminResourcesSource, "application/javascript; charset=utf-8");
    return;
  }
  if (method === "GET" && path === "/_sim/extension-host.js") {
    extensionHostSource ??= browserFile("extension-host.js");
    sendText(res, 200, extensionHostSource, "application/javascript; charset=utf-8", CORS);
    return;
  }
  if (method === "GET" && (path === "/_sim/extension-host" || path.startsWith("/_sim/extensions/"))) {
    extensionHost(ctx, res, path, url.searchParams);
    return;
  }
  if (path.startsWith("/_sim/")) {
    const body = method === "POST" ? (await readBody(req)).toString("utf8") : "";
    const result = await handleControl(ctx, method, path, url.searchParams, body);
    send(res, result ?? { status: 404, body: { error: "Not Found" } }, CORS);
    return;
  }

  if (/^\/store\/[^/]+\/charges\//.test(path) && (method === "GET" || method === "POST")) {
    await chargePage(ctx, req, res, method, path, url.searchParams);
    return;
  }

  const products = /^\/store\/([^/]+)\/products(?:\/(\d+))?\/?$/.exec(path);
  if (method === "GET" && products) {
    const shop = ctx.state.shopByHandle(decodeURIComponent(products[1] ?? ""));
    const product = shop && products[2] ? shop.products.get(Number(products[2])) : undefined;
    if (!shop || (products[2] && !product)) {
      sendText(res, 404, "No such shop or product in the simulator", "text/plain; charset=utf-8");
      return;
    }
    sendText(res, 200, product ? productPageHtml(ctx, shop, product) : productsPageHtml(ctx, shop), "text/html; charset=utf-8");
    return;
  }

  const admin = /^\/store\/([^/]+)\/apps\/([^/]+)(\/.*)?$/.exec(path);
  if (method === "GET" && admin) {
    const shop = ctx.state.shopByHandle(decodeURIComponent(admin[1] ?? ""));
    if (!shop) {
      sendText(res, 404, "No such shop in the simulator", "text/plain; charset=utf-8");
      return;
    }
    if (!ctx.options.appUrl) {
      sendText(res, 500, "The simulator was started without appUrl", "text/plain; charset=utf-8");
      return;
    }
    const extra: Record<string, string> = {};
    for (const [key, value] of url.searchParams) extra[key] = value;
    sendText(res, 200, adminPageHtml(ctx, shop, admin[3] ?? "", extra), "text/html; charset=utf-8");
    return;
  }

  if ((method === "GET" || method === "HEAD") && (path.startsWith("/cdn/") || path.startsWith("/_staged/"))) {
    await serveFile(ctx, res, path, url.searchParams, method === "HEAD");
    return;
  }
  if (method === "PUT" && path.startsWith("/_staged/")) {
    const body = await readBody(req);
    ctx.state.files.set(path, { body, contentType: header(req, "content-type") ?? "application/octet-stream" });
    res.writeHead(200, CORS);
    res.end();
    return;
  }
  if (method === "POST" && (path === "/_staged/" || path === "/_staged")) {
    await stagedPost(ctx, req, res);
    return;
  }

  if (method === "GET" && path === "/") {
    sendText(res, 200, indexHtml(ctx), "text/html; charset=utf-8");
    return;
  }
  send(res, { status: 404, body: { errors: "Not Found" } });
}

/**
 * The extension host document for one of the app's extensions (`?shop=&handle=&target=&selected=`,
 * selected a JSON list of `{ id }`), and the extension's built bundle (`/_sim/extensions/<handle>.js`,
 * read from disk on every request so a rebuild shows at once).
 */
function extensionHost(ctx: SimContext, res: ServerResponse, path: string, search: URLSearchParams): void {
  const bundle = /^\/_sim\/extensions\/([^/]+)\.js$/.exec(path);
  if (bundle) {
    const extension = ctx.options.extensions.find((candidate) => candidate.handle === decodeURIComponent(bundle[1] ?? ""));
    if (!extension) {
      sendText(res, 404, "// no such extension", "application/javascript; charset=utf-8", CORS);
      return;
    }
    sendText(res, 200, readFileSync(extension.bundlePath, "utf8"), "application/javascript; charset=utf-8", CORS);
    return;
  }
  const shop = ctx.state.shop(search.get("shop") ?? "");
  const extension = ctx.options.extensions.find((candidate) => candidate.handle === search.get("handle") && candidate.target === search.get("target"));
  let selected: Array<{ id: string }> = [];
  try {
    const parsed: unknown = JSON.parse(search.get("selected") ?? "[]");
    if (Array.isArray(parsed)) selected = parsed.filter((item): item is { id: string } => typeof item?.id === "string").map((item) => ({ id: item.id }));
  } catch {
    selected = [];
  }
  if (!shop || !extension || !ctx.options.appUrl) {
    sendText(res, 404, "No such shop or extension (or the simulator has no appUrl)", "text/plain; charset=utf-8");
    return;
  }
  sendText(res, 200, extensionHostHtml(ctx, shop, extension, selected), "text/html; charset=utf-8");
}

/** Shopify's charge confirmation page: GET shows it, POST (decision=approve|decline) decides and redirects. */
async function chargePage(ctx: SimContext, req: IncomingMessage, res: ServerResponse, method: string, path: string, search: URLSearchParams): Promise<void> {
  const form = method === "POST" ? new URLSearchParams((await readBody(req)).toString("utf8")) : null;
  const signature = form?.get("signature") ?? search.get("signature");
  const found = chargeForPage(ctx, path, signature);
  if (!found) {
    sendText(res, 404, "No such charge (or a wrong signature)", "text/plain; charset=utf-8");
    return;
  }
  const { shop, kind, charge } = found;
  const decision = form?.get("decision");
  if (form && charge.status === "PENDING" && (decision === "approve" || decision === "decline")) {
    const next = decision === "approve" ? await approveCharge(ctx, shop, kind, charge.id) : await declineCharge(ctx, shop, kind, charge.id);
    res.writeHead(303, { location: next, "cache-control": "no-store" });
    res.end();
    return;
  }
  sendText(res, 200, confirmationPageHtml(ctx, shop, kind, charge, signature ?? ""), "text/html; charset=utf-8");
}

/** Shopify's edge answers: 429 with Retry-After and its JSON message; 5xx as a short JSON error. */
function sendFault(res: ServerResponse, fault: AdminFault): void {
  if (fault.status === 429) {
    const retryAfter = String(fault.retryAfterSeconds ?? 1);
    res.writeHead(429, { "content-type": "application/json; charset=utf-8", "retry-after": retryAfter });
    res.end(JSON.stringify({ errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." }));
    return;
  }
  const text: Record<number, string> = { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };
  res.writeHead(fault.status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify({ errors: text[fault.status] ?? "Internal Server Error" }));
}

/** The shop a request is for: Host <shop>.myshopify.com, or the X-Shopify-Shop-Domain header. */
function requestShop(ctx: SimContext, req: IncomingMessage): SimShop | undefined {
  const host = header(req, "host") ?? "";
  const fromHost = normalizeShopDomain(host);
  if (fromHost.endsWith(".myshopify.com")) {
    const shop = ctx.state.shop(fromHost);
    if (shop) return shop;
  }
  const explicit = header(req, "x-shopify-shop-domain");
  return explicit ? ctx.state.shop(explicit) : undefined;
}

async function serveFile(ctx: SimContext, res: ServerResponse, path: string, search: URLSearchParams, headOnly: boolean): Promise<void> {
  const entry = ctx.state.files.get(decodeURIComponent(path)) ?? ctx.state.files.get(path);
  if (!entry) {
    sendText(res, 404, "Not Found", "text/plain; charset=utf-8", CORS);
    return;
  }
  let file: StoredFile;
  if ("render" in entry) {
    file = await (entry as RenderedFile).render();
    ctx.state.files.set(path, file);
  } else file = entry;
  let body = file.body;
  const width = Number(search.get("width") ?? 0);
  const height = Number(search.get("height") ?? 0);
  if ((width > 0 || height > 0) && file.contentType.startsWith("image/")) {
    // Shopify's CDN resizes on the fly; so does ours (fit inside, never enlarge).
    body = await sharp(body)
      .resize({ width: width || undefined, height: height || undefined, fit: "inside", withoutEnlargement: true })
      .toBuffer();
  }
  res.writeHead(200, { "content-type": file.contentType, "content-length": String(body.length), "cache-control": "public, max-age=31536000", ...CORS });
  res.end(headOnly ? undefined : body);
}

/** POST upload to a staged target (multipart form with the target's parameters and `file`). */
async function stagedPost(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const contentType = header(req, "content-type") ?? "";
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch {
    sendText(res, 400, "<Error><Code>InvalidArgument</Code><Message>Malformed multipart body</Message></Error>", "application/xml", CORS);
    return;
  }
  const key = form.get("key");
  const file = form.get("file");
  if (typeof key !== "string" || !file || typeof file === "string") {
    sendText(res, 400, "<Error><Code>InvalidArgument</Code><Message>key and file are required</Message></Error>", "application/xml", CORS);
    return;
  }
  const declared = form.get("Content-Type");
  ctx.state.files.set(`/_staged/${key}`, {
    body: Buffer.from(await file.arrayBuffer()),
    contentType: typeof declared === "string" ? declared : file.type || "application/octet-stream",
  });
  const location = `${ctx.publicUrl()}/_staged/${key}`;
  sendText(res, 201, `<?xml version="1.0" encoding="UTF-8"?><PostResponse><Location>${location}</Location><Key>${key}</Key></PostResponse>`, "application/xml", CORS);
}

function indexHtml(ctx: SimContext): string {
  const rows = [...ctx.state.shops.values()]
    .map((shop) => `<li><a href="/store/${shop.handle}/apps/${ctx.options.appHandle}">${shop.name}</a> — ${shop.domain} (${shop.products.size} products)</li>`)
    .join("");
  return `<!doctype html><meta charset="utf-8"><title>Shopify simulator</title><h1>Lightbox Shopify simulator</h1><ul>${rows}</ul><p>App: ${ctx.options.appUrl ?? "(no appUrl)"}</p>`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error("Request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, result: HttpResult, extraHeaders: Record<string, string> = {}): void {
  const body = typeof result.body === "string" ? result.body : JSON.stringify(result.body);
  res.writeHead(result.status, {
    "content-type": "application/json; charset=utf-8",
    "x-request-id": crypto.randomUUID(),
    ...extraHeaders,
    ...(result.headers ?? {}),
  });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, body: string, contentType: string, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store", ...extraHeaders });
  res.end(body);
}
