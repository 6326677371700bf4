// The whole install path against the local Shopify simulator: the admin opens the app with an
// id_token, the library exchanges it for an expiring offline token at the (simulated) Shopify,
// the session is stored encrypted and the shop is registered from Admin GraphQL.
import { startSimulator, type RunningSimulator } from "@lightbox/shopify-simulator";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { routeShopifyToSimulator } from "~/dev/shopify-simulator.server";
import { loader as appLoader } from "~/routes/app.tsx";
import { sessionStorage } from "~/shopify.server";

import { rawDump } from "../helpers/raw-dump";

const SHOP = "lightbox-demo.myshopify.com";
let sim: RunningSimulator;
const previous = getGlobalDispatcher();

beforeAll(async () => {
  sim = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET_KEY, appUrl: APP_URL });
  routeShopifyToSimulator(sim.url);
});
afterAll(async () => {
  setGlobalDispatcher(previous);
  await sim.stop();
});

async function openApp(): Promise<Response> {
  const launch = new URL(sim.appLaunchUrl(SHOP));
  try {
    return await appLoader({ request: new Request(`${APP_URL}/app${launch.search}`), params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("install through token exchange", () => {
  it("creates an expiring offline session whose tokens are stored encrypted, and registers the shop", async () => {
    const response = await openApp();
    expect(response.status).toBe(200);

    const session = await sessionStorage.loadSession(`offline_${SHOP}`);
    expect(session?.accessToken).toBeTruthy();
    expect(session?.refreshToken).toBeTruthy();
    expect(session?.expires && session.expires.getTime() - Date.now()).toBeGreaterThan(50 * 60_000);
    expect(session?.scope).toBe("read_products,write_products");

    const dump = await rawDump(db);
    expect(dump).not.toContain(session!.accessToken!);
    expect(dump).not.toContain(session!.refreshToken!);

    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    expect(shop.name).toBe(sim.shop(SHOP).name);
    expect(shop.creditBalance).toBeGreaterThan(0);
  });

  it("refreshes an expired access token with the rotating refresh token", async () => {
    const before = (await sessionStorage.loadSession(`offline_${SHOP}`))!;
    before.expires = new Date(Date.now() - 1_000);
    await sessionStorage.storeSession(before);
    expect((await openApp()).status).toBe(200);
    const after = (await sessionStorage.loadSession(`offline_${SHOP}`))!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.expires!.getTime()).toBeGreaterThan(Date.now());
  });
});
