// The simulated admin page embeds the app with a launch URL @shopify/shopify-api accepts (HMAC,
// session token, host); /app-bridge.js provides the `shopify` global. The stand-in script runs
// here in a small fake browser (node:vm): no browser engine is installed on these machines.
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../src/index.ts";
import type { RunningSimulator } from "../src/index.ts";
import { DEMO_SHOP } from "../src/test-helpers.ts";

let sim: RunningSimulator;
const APP_URL = "http://127.0.0.1:3999";

const shopify = shopifyApi({
  apiKey: "lightbox-dev-key",
  apiSecretKey: "lightbox-dev-secret",
  scopes: ["read_products", "write_products"],
  hostName: "127.0.0.1:3999",
  hostScheme: "http",
  apiVersion: ApiVersion.October26,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

beforeAll(async () => {
  sim = await startSimulator({ appUrl: APP_URL });
});
afterAll(() => sim.stop());

describe("admin page", () => {
  it("GIVEN /store/<shop>/apps/lightbox THEN an admin page embedding ${appUrl}/app with a launch URL Shopify's library validates", async () => {
    const response = await fetch(sim.adminUrl(DEMO_SHOP));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<iframe id="app-frame"');
    const src = /<iframe id="app-frame"[^>]* src="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&") ?? "";
    const url = new URL(src);
    expect(`${url.origin}${url.pathname}`).toBe(`${APP_URL}/app`);
    const query = Object.fromEntries(url.searchParams);
    expect(Object.keys(query).sort()).toEqual(["embedded", "hmac", "host", "id_token", "locale", "session", "shop", "timestamp"]);
    expect(query).toMatchObject({ embedded: "1", shop: DEMO_SHOP, locale: "en" });
    expect(Buffer.from(query.host ?? "", "base64").toString("utf8")).toBe("admin.shopify.com/store/lightbox-demo");
    expect(await shopify.utils.validateHmac(query)).toBe(true);
    const claims = await shopify.session.decodeSessionToken(query.id_token ?? "");
    expect(claims).toMatchObject({ iss: `https://${DEMO_SHOP}/admin`, dest: `https://${DEMO_SHOP}`, aud: "lightbox-dev-key", sub: String(sim.shop(DEMO_SHOP).ownerUserId) });
    expect(Object.keys(claims).sort()).toEqual(["aud", "dest", "exp", "iat", "iss", "jti", "nbf", "sid", "sig", "sub"]);
    expect(html).toContain('<script src="/_sim/admin.js"></script>');
  });

  it("GIVEN a sub-path THEN the iframe opens that path of the app", async () => {
    const html = await (await fetch(sim.adminUrl(DEMO_SHOP, "app/library"))).text();
    expect(html).toContain(`src="${APP_URL}/app/library?`);
  });

  it("GIVEN /_sim/id-token THEN a fresh session token for the admin page", async () => {
    const { idToken } = (await (await fetch(`${sim.url}/_sim/id-token?shop=${DEMO_SHOP}`)).json()) as { idToken: string };
    expect((await shopify.session.decodeSessionToken(idToken)).dest).toBe(`https://${DEMO_SHOP}`);
  });

  it("GIVEN the picker's product list THEN App Bridge's resource-picker Product shape", async () => {
    const { products } = (await (await fetch(`${sim.url}/_sim/shops/${DEMO_SHOP}/products?query=mug`)).json()) as { products: Record<string, unknown>[] };
    expect(products).toHaveLength(1);
    expect(products[0]).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/Product\/\d+$/),
      title: "Ceramic Coffee Mug",
      handle: "ceramic-coffee-mug",
      status: "ACTIVE",
      images: [
        { id: expect.stringMatching(/^gid:\/\/shopify\/ProductImage\//), altText: "Terracotta ceramic coffee mug", originalSrc: expect.stringContaining("/cdn/") },
        expect.anything(),
        expect.anything(),
      ],
      variants: [expect.objectContaining({ title: "Default Title" })],
    });
  });

  it("GIVEN /app-bridge.js THEN the stand-in script is served cross-origin", async () => {
    const response = await fetch(`${sim.url}/app-bridge.js`);
    expect(response.headers.get("content-type")).toContain("javascript");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.text()).toContain("window.shopify = shopify");
  });
});

/** Just enough of a browser for the stand-in: one iframe window whose parent records messages. */
function fakeAppWindow(simUrl: string) {
  const posted: { type: string; id?: string; payload: Record<string, unknown> }[] = [];
  const listeners: ((event: { source: unknown; data: unknown }) => void)[] = [];
  const fetched: { url: string; authorization: string | null }[] = [];
  const parent = { postMessage: (message: { type: string; id?: string; payload: Record<string, unknown> }) => posted.push(message) };
  const storage = new Map<string, string>();
  const window: Record<string, unknown> = {
    parent,
    location: new URL(`http://127.0.0.1:3999/app?embedded=1&shop=${DEMO_SHOP}&host=aG9zdA&locale=en`),
    addEventListener: (type: string, listener: (event: { source: unknown; data: unknown }) => void) => {
      if (type === "message") listeners.push(listener);
    },
    fetch: async (input: Request | string, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      fetched.push({ url: request.url, authorization: request.headers.get("authorization") });
      return new Response("{}", { status: 200 });
    },
    sessionStorage: { getItem: (key: string) => storage.get(key) ?? null, setItem: (key: string, value: string) => storage.set(key, value) },
    history: { pushState() {}, replaceState() {} },
    customElements: { get: () => undefined, define() {} },
  };
  window.window = window;
  const document = {
    currentScript: { src: `${simUrl}/app-bridge.js`, getAttribute: (name: string) => (name === "data-api-key" ? "lightbox-dev-key" : null) },
    querySelector: () => null,
    readyState: "complete",
  };
  const context = {
    window,
    document,
    URL,
    URLSearchParams,
    Request,
    Response,
    Headers,
    Promise,
    JSON,
    Object,
    Array,
    Date,
    Error,
    atob,
    HTMLElement: class {},
    MutationObserver: class {
      observe() {}
      disconnect() {}
    },
    PopStateEvent: class {},
    Event: class {},
  };
  runInNewContext(readFileSync(new URL("../src/browser/app-bridge.js", import.meta.url), "utf8"), context);
  const reply = (replyTo: string | undefined, payload: unknown) => {
    for (const listener of listeners) listener({ source: parent, data: { source: "lightbox-sim", replyTo, payload } });
  };
  return { window, posted, fetched, reply };
}

describe("App Bridge stand-in", () => {
  it("GIVEN the app calls shopify.idToken() and fetch() THEN the token comes from the admin and same-origin requests carry it", async () => {
    const app = fakeAppWindow(sim.url);
    const shopifyGlobal = app.window.shopify as {
      config: Record<string, unknown>;
      idToken: () => Promise<string>;
      toast: { show: (message: string, opts?: Record<string, unknown>) => string };
      resourcePicker: (options: Record<string, unknown>) => Promise<unknown[] & { selection: unknown[] }>;
    };
    expect(shopifyGlobal.config).toMatchObject({ apiKey: "lightbox-dev-key", shop: DEMO_SHOP, host: "aG9zdA", locale: "en" });
    expect(app.posted.map((message) => message.type)).toContain("ready");

    const token = sim.mintIdToken(DEMO_SHOP);
    const pending = shopifyGlobal.idToken();
    const request = app.posted.find((message) => message.type === "idToken");
    app.reply(request?.id, { idToken: token });
    expect(await pending).toBe(token);

    await (app.window.fetch as (input: string) => Promise<Response>)("/app/api/products");
    await (app.window.fetch as (input: string) => Promise<Response>)("https://elsewhere.example/x");
    expect(app.fetched).toEqual([
      { url: "http://127.0.0.1:3999/app/api/products", authorization: `Bearer ${token}` },
      { url: "https://elsewhere.example/x", authorization: null },
    ]);
  });

  it("GIVEN toast.show and resourcePicker THEN they go to the admin, and the picker resolves to the selection array", async () => {
    const app = fakeAppWindow(sim.url);
    const shopifyGlobal = app.window.shopify as {
      toast: { show: (message: string, opts?: Record<string, unknown>) => string };
      resourcePicker: (options: Record<string, unknown>) => Promise<(unknown[] & { selection: unknown[] }) | undefined>;
    };
    const id = shopifyGlobal.toast.show("Published 3 images", { duration: 3000 });
    expect(app.posted.find((message) => message.type === "toast:show")?.payload).toEqual({ id, message: "Published 3 images", duration: 3000, isError: false, action: null });

    const picking = shopifyGlobal.resourcePicker({ type: "product", multiple: true });
    const request = app.posted.find((message) => message.type === "resourcePicker");
    expect(request?.payload).toMatchObject({ type: "product", multiple: true, action: "add" });
    const products = [{ id: "gid://shopify/Product/1", title: "Mug", images: [] }];
    app.reply(request?.id, { selection: products });
    const selection = await picking;
    expect(selection).toEqual(products);
    expect(selection?.selection).toBe(selection);

    const cancelled = shopifyGlobal.resourcePicker({ type: "product" });
    const second = app.posted.filter((message) => message.type === "resourcePicker")[1];
    app.reply(second?.id, { selection: null });
    expect(await cancelled).toBeUndefined();
  });
});
