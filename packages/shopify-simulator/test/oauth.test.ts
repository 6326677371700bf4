// Token exchange and expiring offline tokens, driven by the real @shopify/shopify-api client (its
// https://<shop>.myshopify.com requests are routed to the simulator by simulatorDispatcher).
import { RequestedTokenType } from "@shopify/shopify-api";
import { getGlobalDispatcher, setGlobalDispatcher } from "undici";
import type { Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulatorDispatcher } from "~/dev/shopify-simulator.server";
import { startSimulator } from "../src/index.ts";
import type { RunningSimulator } from "../src/index.ts";
import { signHs256 } from "../src/jwt.ts";
import { adminGraphql, DEMO_SHOP } from "../src/test-helpers.ts";

import { devShopifyApi } from "./support.ts";

let sim: RunningSimulator;
let previous: Dispatcher;
let now = Date.now();

const shopify = devShopifyApi();

async function tokenEndpoint(body: Record<string, string> | string, contentType = "application/json") {
  const response = await fetch(`${sim.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": contentType, "x-shopify-shop-domain": DEMO_SHOP },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  sim = await startSimulator({ clock: () => now });
  previous = getGlobalDispatcher();
  setGlobalDispatcher(simulatorDispatcher(sim.url));
});
afterAll(async () => {
  setGlobalDispatcher(previous);
  await sim.stop();
});

describe("token exchange", () => {
  it("GIVEN a session token from the admin WHEN exchanged for an expiring offline token THEN Shopify's response shape", async () => {
    const { body } = await tokenEndpoint({
      client_id: "lightbox-dev-key",
      client_secret: "lightbox-dev-secret",
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: sim.mintIdToken(DEMO_SHOP),
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "1",
    });
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "refresh_token_expires_in", "scope"]);
    expect(body).toMatchObject({ scope: "read_products,write_products", expires_in: 3600, refresh_token_expires_in: 7776000 });
    expect(body.access_token).toMatch(/^shpat_[0-9a-f]{32}$/);
    const { status } = await adminGraphql(sim, String(body.access_token), `{ shop { name } }`);
    expect(status).toBe(200);
  });

  it("GIVEN @shopify/shopify-api WHEN it exchanges (expiring) THEN its session has expiry and refresh token", async () => {
    const { session } = await shopify.auth.tokenExchange({
      shop: DEMO_SHOP,
      sessionToken: sim.mintIdToken(DEMO_SHOP),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(session.isOnline).toBe(false);
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(session.expires?.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    const client = new shopify.clients.Graphql({ session });
    const response = await client.request(`{ shop { myshopifyDomain } }`);
    expect(response.data).toEqual({ shop: { myshopifyDomain: DEMO_SHOP } });
  });

  it("GIVEN an online token request THEN associated_user is returned", async () => {
    const { session } = await shopify.auth.tokenExchange({
      shop: DEMO_SHOP,
      sessionToken: sim.mintIdToken(DEMO_SHOP),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo?.associated_user.account_owner).toBe(true);
    expect(session.accessToken).toMatch(/^shpua_/);
  });

  it("GIVEN a session token signed with another secret THEN 400 invalid_subject_token", async () => {
    const forged = signHs256({ iss: `https://${DEMO_SHOP}/admin`, dest: `https://${DEMO_SHOP}`, aud: "lightbox-dev-key", sub: "1", exp: Math.floor(now / 1000) + 60, nbf: Math.floor(now / 1000) }, "wrong");
    const { status, body } = await tokenEndpoint(
      new URLSearchParams({
        client_id: "lightbox-dev-key",
        client_secret: "lightbox-dev-secret",
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: forged,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      }).toString(),
      "application/x-www-form-urlencoded",
    );
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_subject_token");
  });

  it("GIVEN a wrong client secret THEN invalid_client", async () => {
    const { status, body } = await tokenEndpoint({ client_id: "lightbox-dev-key", client_secret: "nope", grant_type: "refresh_token", refresh_token: "x" });
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_client");
  });
});

describe("expiring offline tokens", () => {
  it("GIVEN an expiring token WHEN 60 minutes pass THEN the Admin API answers 401", async () => {
    const issued = sim.issueAccessToken(DEMO_SHOP);
    expect((await adminGraphql(sim, issued.access_token, `{ shop { id } }`)).status).toBe(200);
    now += 3600 * 1000 + 1;
    try {
      expect((await adminGraphql(sim, issued.access_token, `{ shop { id } }`)).status).toBe(401);
    } finally {
      now = Date.now();
    }
  });

  it("GIVEN a refresh token WHEN refreshed THEN a new pair; once the replacement is used the old refresh token is refused", async () => {
    const first = sim.issueAccessToken(DEMO_SHOP);
    const { session: second } = await shopify.auth.refreshToken({ shop: DEMO_SHOP, refreshToken: String(first.refresh_token) });
    expect(second.accessToken).not.toBe(first.access_token);
    expect(second.refreshToken).not.toBe(first.refresh_token);
    expect(second.expires?.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect((await adminGraphql(sim, String(second.accessToken), `{ shop { id } }`)).status).toBe(200);

    // Using the replacement refresh token retires the one it replaced ...
    const { session: third } = await shopify.auth.refreshToken({ shop: DEMO_SHOP, refreshToken: String(second.refreshToken) });
    expect(third.refreshToken).toMatch(/^shprt_/);
    const reuse = await tokenEndpoint({ client_id: "lightbox-dev-key", client_secret: "lightbox-dev-secret", grant_type: "refresh_token", refresh_token: String(first.refresh_token) });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe("invalid_grant");
    // ... and so on down the chain.
    await shopify.auth.refreshToken({ shop: DEMO_SHOP, refreshToken: String(third.refreshToken) });
    await expect(shopify.auth.refreshToken({ shop: DEMO_SHOP, refreshToken: String(second.refreshToken) })).rejects.toThrow();
  });

  it("GIVEN a lost refresh response THEN the previous refresh token can be retried until its replacement is used (Shopify, Aug 2026)", async () => {
    const first = sim.issueAccessToken(DEMO_SHOP);
    const refresh = (token: unknown) =>
      tokenEndpoint({ client_id: "lightbox-dev-key", client_secret: "lightbox-dev-secret", grant_type: "refresh_token", refresh_token: String(token) });
    const lost = await refresh(first.refresh_token);
    expect(lost.status).toBe(200);
    const retried = await refresh(first.refresh_token);
    expect(retried.status).toBe(200);
    // The unused replacement from the lost answer is superseded by the retry.
    expect((await refresh(lost.body.refresh_token)).status).toBe(400);
    expect((await refresh(retried.body.refresh_token)).status).toBe(200);
    expect((await refresh(first.refresh_token)).status).toBe(400);
  });

  it("GIVEN refreshTokenRetirement 'immediately' THEN an exchanged refresh token is refused at once", async () => {
    const strict = await startSimulator({ refreshTokenRetirement: "immediately" });
    try {
      const first = strict.issueAccessToken(DEMO_SHOP);
      const refresh = async (token: unknown) => {
        const response = await fetch(`${strict.url}/admin/oauth/access_token`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-shopify-shop-domain": DEMO_SHOP },
          body: JSON.stringify({ client_id: "lightbox-dev-key", client_secret: "lightbox-dev-secret", grant_type: "refresh_token", refresh_token: token }),
        });
        return response.status;
      };
      expect(await refresh(first.refresh_token)).toBe(200);
      expect(await refresh(first.refresh_token)).toBe(400);
    } finally {
      await strict.stop();
    }
  });

  it("GIVEN the app is uninstalled THEN its tokens stop working", async () => {
    const issued = sim.issueAccessToken(DEMO_SHOP);
    await sim.uninstall(DEMO_SHOP, { notify: false });
    expect((await adminGraphql(sim, issued.access_token, `{ shop { id } }`)).status).toBe(401);
    const refreshed = await tokenEndpoint({ client_id: "lightbox-dev-key", client_secret: "lightbox-dev-secret", grant_type: "refresh_token", refresh_token: String(issued.refresh_token) });
    expect(refreshed.body.error).toBe("invalid_grant");
    // Opening the app again (token exchange) reinstalls it.
    const { session } = await shopify.auth.tokenExchange({
      shop: DEMO_SHOP,
      sessionToken: sim.mintIdToken(DEMO_SHOP),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect((await adminGraphql(sim, String(session.accessToken), `{ shop { id } }`)).status).toBe(200);
  });
});
