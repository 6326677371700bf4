// An undici dispatcher that sends https://<shop>.myshopify.com/... requests to the simulator
// (plain HTTP) and keeps the original Host header, so the simulator knows the shop. Everything
// else goes out unchanged. Use it as the global dispatcher in tests / the offline demo:
//
//   import { setGlobalDispatcher } from "undici";
//   setGlobalDispatcher(simulatorDispatcher(sim.url));
//
// Node's built-in fetch shares undici's global dispatcher, so the Shopify libraries' requests
// (token exchange, Admin GraphQL) reach the simulator without code changes.
import { Agent } from "undici";
import type { Dispatcher } from "undici";

export interface SimulatorDispatcherOptions {
  /** Hostnames to route to the simulator; default *.myshopify.com. */
  hosts?: RegExp;
  /** The dispatcher for everything else; default a new Agent. */
  fallback?: Dispatcher;
}

function withHost(headers: Dispatcher.DispatchOptions["headers"], host: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = headers[i + 1] as string;
  } else if (headers && typeof (headers as Iterable<unknown>)[Symbol.iterator] === "function") {
    for (const [key, value] of headers as Iterable<[string, string | string[] | undefined]>) if (value !== undefined) out[key.toLowerCase()] = value;
  } else if (headers) {
    for (const [key, value] of Object.entries(headers)) if (value !== undefined && value !== null) out[key.toLowerCase()] = value as string | string[];
  }
  out.host = host;
  return out;
}

export function simulatorDispatcher(simulatorUrl: string, options: SimulatorDispatcherOptions = {}): Dispatcher {
  const hosts = options.hosts ?? /(^|\.)myshopify\.com$/i;
  const target = new URL(simulatorUrl).origin;
  const base = options.fallback ?? new Agent();
  return base.compose((dispatch) => (opts, handler) => {
    const origin = opts.origin ? new URL(String(opts.origin)) : null;
    if (!origin || !hosts.test(origin.hostname)) return dispatch(opts, handler);
    return dispatch({ ...opts, origin: target, headers: withHost(opts.headers, origin.host) }, handler);
  });
}
