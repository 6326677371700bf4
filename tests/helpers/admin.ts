import { Session } from "@shopify/shopify-api";
import { API_KEY, API_SECRET_KEY, APP_URL, getJwt } from "@shopify/shopify-api/test-helpers";

import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { registerShop } from "~/shops/register-shop.server";

/** An installed shop: Shop row (with trial credits) and a live offline session. */
export async function installShop(domain: string) {
  const shop = await registerShop(db, domain, { name: domain.split(".")[0] });
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${domain}`,
      shop: domain,
      state: "installed",
      isOnline: false,
      scope: "read_products,write_products",
      expires: new Date(Date.now() + 3_600_000),
      accessToken: "shpat_test_token",
      refreshToken: "shprt_test_token",
      refreshTokenExpires: new Date(Date.now() + 30 * 86_400_000),
    }),
  );
  return shop;
}

/** A request from the embedded admin: App Bridge's authenticated fetch adds a session token. */
export async function adminRequest(shop: string, path: string, init: RequestInit = {}): Promise<Request> {
  const { token } = await getJwt(shop.replace(/\.myshopify\.com$/, ""), API_KEY, API_SECRET_KEY);
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return new Request(`${APP_URL}${path}`, { ...init, headers });
}

export const routeArgs = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });

/** Resolves a route's response whether it was returned or thrown. */
export async function settle(run: Promise<Response> | Response): Promise<Response> {
  try {
    return await run;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
