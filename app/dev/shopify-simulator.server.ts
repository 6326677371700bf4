// Development only: send the app's Shopify traffic to the local Shopify simulator
// (packages/shopify-simulator) instead of https://<shop>.myshopify.com. Enabled by
// SHOPIFY_SIMULATOR_URL, which env.server.ts refuses in production. Every outgoing fetch to a
// *.myshopify.com origin is re-targeted at the simulator, with the shop's domain in
// `x-shopify-shop-domain`.
import { Agent, setGlobalDispatcher, type Dispatcher } from "undici";

const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

type Headers = Dispatcher.DispatchOptions["headers"];

function withShopHeader(headers: Headers, shop: string): Headers {
  if (!headers) return { "x-shopify-shop-domain": shop };
  if (Array.isArray(headers)) return [...headers, "x-shopify-shop-domain", shop];
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === "function") {
    return [...(headers as Iterable<[string, string]>)].flat().concat(["x-shopify-shop-domain", shop]);
  }
  return { ...(headers as Record<string, string>), "x-shopify-shop-domain": shop };
}

/** A dispatcher that re-targets *.myshopify.com requests at `simulatorUrl`. */
export function simulatorDispatcher(simulatorUrl: string): Dispatcher {
  const target = new URL(simulatorUrl).origin;
  return new Agent().compose((dispatch) => (options, handler) => {
    const origin = options.origin ? new URL(String(options.origin)) : null;
    if (!origin || !SHOP_HOST.test(origin.hostname)) return dispatch(options, handler);
    return dispatch({ ...options, origin: target, headers: withShopHeader(options.headers, origin.hostname) }, handler);
  });
}

export function routeShopifyToSimulator(simulatorUrl: string): void {
  setGlobalDispatcher(simulatorDispatcher(simulatorUrl));
}

/** The App Bridge stand-in the simulator serves (the real script lives on Shopify's CDN). */
export function simulatorAppBridgeUrl(simulatorUrl: string): string {
  return new URL("/app-bridge.js", simulatorUrl).toString();
}

/**
 * Response headers for an app framed by the simulator's admin page: the simulator's origin may
 * frame the app (CSP frame-ancestors), and nothing points the browser at Shopify's CDN.
 */
export function adaptHeaderForSimulator(name: string, value: string, simulatorUrl: string): string | null {
  const lower = name.toLowerCase();
  if (lower === "link" && value.includes("cdn.shopify.com")) return null;
  if (lower === "content-security-policy" && value.includes("frame-ancestors")) {
    return value.replace("frame-ancestors", `frame-ancestors ${new URL(simulatorUrl).origin}`);
  }
  return value;
}
