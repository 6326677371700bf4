// Webhooks on demand: delivered to the app's configured paths with Shopify's headers; the HMAC
// verifies with the client secret (checked by hand and by @shopify/shopify-api itself).
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator } from "../src/index.ts";
import type { RunningSimulator } from "../src/index.ts";
import { adminGraphql, DEMO_SHOP, startStubServer } from "../src/test-helpers.ts";

import { devShopifyApi } from "./support.ts";

let sim: RunningSimulator;
let app: Awaited<ReturnType<typeof startStubServer>>;

const shopify = devShopifyApi();

beforeAll(async () => {
  app = await startStubServer((req, res) => {
    res.writeHead(req.url === "/webhooks/broken" ? 500 : 200, { "content-type": "text/plain" });
    res.end("ok");
  });
  sim = await startSimulator({ appUrl: app.url, webhookPaths: { "products/update": "/webhooks/broken" } });
});
afterAll(async () => {
  await sim.stop();
  await app.close();
});
beforeEach(() => {
  app.requests.length = 0;
  sim.reset();
});

describe("deliverWebhook", () => {
  it("GIVEN app/uninstalled THEN POSTed to its path with Shopify's headers and an HMAC that verifies", async () => {
    const delivery = await sim.deliverWebhook(DEMO_SHOP, "app/uninstalled");
    expect(delivery.status).toBe(200);
    const request = app.requests[0];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/webhooks/app/uninstalled");
    const headers = request?.headers ?? {};
    expect(headers["x-shopify-topic"]).toBe("app/uninstalled");
    expect(headers["x-shopify-shop-domain"]).toBe(DEMO_SHOP);
    expect(headers["x-shopify-api-version"]).toBe("2026-10");
    expect(headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers["x-shopify-event-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(String(headers["x-shopify-triggered-at"])).getTime()).not.toBeNaN();
    const expected = createHmac("sha256", "lightbox-dev-secret").update(request?.body ?? Buffer.alloc(0)).digest("base64");
    expect(headers["x-shopify-hmac-sha256"]).toBe(expected);

    const check = await shopify.webhooks.validate({
      rawBody: request?.body.toString("utf8") ?? "",
      rawRequest: { headers, method: "POST", url: request?.url },
      rawResponse: {},
    });
    expect(check).toMatchObject({ valid: true, topic: "APP_UNINSTALLED", domain: DEMO_SHOP, apiVersion: "2026-10" });

    const payload = JSON.parse(request?.body.toString("utf8") ?? "{}") as Record<string, unknown>;
    expect(payload).toMatchObject({ myshopify_domain: DEMO_SHOP, name: "Lightbox Demo", email: "owner@lightbox-demo.example" });
    expect(typeof payload.id).toBe("number");
  });

  it("GIVEN the compliance topics THEN each goes to /webhooks/compliance with its payload shape", async () => {
    for (const topic of ["customers/data_request", "customers/redact", "shop/redact"]) await sim.deliverWebhook(DEMO_SHOP, topic);
    expect(app.requests.map((request) => [request.url, request.headers["x-shopify-topic"]])).toEqual([
      ["/webhooks/compliance", "customers/data_request"],
      ["/webhooks/compliance", "customers/redact"],
      ["/webhooks/compliance", "shop/redact"],
    ]);
    const [dataRequest, redact, shopRedact] = app.requests.map((request) => JSON.parse(request.body.toString("utf8")) as Record<string, unknown>);
    expect(Object.keys(dataRequest ?? {}).sort()).toEqual(["customer", "data_request", "orders_requested", "shop_domain", "shop_id"]);
    expect(Object.keys(redact ?? {}).sort()).toEqual(["customer", "orders_to_redact", "shop_domain", "shop_id"]);
    expect(shopRedact).toEqual({ shop_id: sim.shop(DEMO_SHOP).id, shop_domain: DEMO_SHOP });
  });

  it("GIVEN an explicit payload THEN it is sent verbatim (and signed)", async () => {
    await sim.deliverWebhook(DEMO_SHOP, "app/scopes_update", { id: 1, previous: ["read_products"], current: ["read_products", "write_products"] });
    const body = app.requests[0]?.body.toString("utf8") ?? "";
    expect(JSON.parse(body)).toEqual({ id: 1, previous: ["read_products"], current: ["read_products", "write_products"] });
    expect(app.requests[0]?.headers["x-shopify-hmac-sha256"]).toBe(createHmac("sha256", "lightbox-dev-secret").update(body).digest("base64"));
  });

  it("GIVEN the app answers 500 THEN the failure is reported, not thrown", async () => {
    const delivery = await sim.deliverWebhook(DEMO_SHOP, "products/update");
    expect(delivery.status).toBe(500);
    expect(sim.state.counters.webhookFailures).toBe(1);
  });

  it("GIVEN POST /_sim/webhooks THEN the same delivery over HTTP (for e2e tests)", async () => {
    const response = await fetch(`${sim.url}/_sim/webhooks`, { method: "POST", body: JSON.stringify({ shop: DEMO_SHOP, topic: "shop/redact" }) });
    expect(await response.json()).toMatchObject({ topic: "shop/redact", status: 200 });
    expect(app.requests[0]?.headers["x-shopify-topic"]).toBe("shop/redact");
  });

  it("GIVEN an uninstall THEN tokens are revoked and app/uninstalled is delivered", async () => {
    const token = sim.issueAccessToken(DEMO_SHOP).access_token;
    await fetch(`${sim.url}/_sim/uninstall`, { method: "POST", body: JSON.stringify({ shop: DEMO_SHOP }) });
    expect(app.requests.map((request) => request.headers["x-shopify-topic"])).toEqual(["app/uninstalled"]);
    expect((await adminGraphql(sim, token, `{ shop { id } }`)).status).toBe(401);
  });
});
