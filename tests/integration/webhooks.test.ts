import { Session } from "@shopify/shopify-api";
import { describe, expect, it, vi } from "vitest";

import { db } from "~/db.server";
import { PURGERS } from "~/purge/purgers.server";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { action as compliance } from "~/routes/webhooks.compliance";
import { sessionStorage } from "~/shopify.server";
import { registerShop } from "~/shops/register-shop.server";

import { rowsMentioning } from "../helpers/raw-dump";
import { webhookRequest } from "../helpers/webhooks";

async function status(run: Promise<Response>): Promise<number> {
  try {
    return (await run).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

async function installShop(domain: string) {
  const shop = await registerShop(db, domain, { name: "Test shop" });
  await sessionStorage.storeSession(
    new Session({ id: `offline_${domain}`, shop: domain, state: "s", isOnline: false, accessToken: "shpat_x" }),
  );
  return shop;
}

// Counts purges by watching the first purger (and widens the race window).
const purgeRuns: string[] = [];
const firstPurger = PURGERS[0]!;
const purgeFirst = firstPurger.purge.bind(firstPurger);
vi.spyOn(firstPurger, "purge").mockImplementation(async (ctx) => {
  purgeRuns.push(ctx.shopDomain);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return purgeFirst(ctx);
});

const args = (request: Request) => ({ request, params: {}, context: {} });

describe("webhooks", () => {
  it("refuses a webhook whose HMAC was signed with another secret: 401, nothing deleted", async () => {
    await installShop("hmac-shop.myshopify.com");
    const request = webhookRequest("/webhooks/app/uninstalled", {
      topic: "app/uninstalled",
      shop: "hmac-shop.myshopify.com",
      secret: "not-the-app-secret",
    });
    expect(await status(uninstalled(args(request)))).toBe(401);
    expect(await db.shop.count({ where: { domain: "hmac-shop.myshopify.com" } })).toBe(1);
  });

  it("GIVEN the same app/uninstalled delivered twice at once THEN it is processed once and the shop owns 0 rows", async () => {
    const domain = "uninstall-shop.myshopify.com";
    const shop = await installShop(domain);
    const send = () =>
      uninstalled(
        args(webhookRequest("/webhooks/app/uninstalled", { topic: "app/uninstalled", shop: domain, webhookId: "wh-dup-1" })),
      );
    const [first, second] = await Promise.all([send(), send()]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(purgeRuns.filter((d) => d === domain)).toHaveLength(1);
    expect(await rowsMentioning(db, [domain, shop.id], ["ComplianceRequest"])).toEqual([]);

    // Shopify retries a delivery it thinks failed: still a no-op.
    expect((await send()).status).toBe(200);
    expect(purgeRuns.filter((d) => d === domain)).toHaveLength(1);
  });

  it("GIVEN an app/uninstalled whose payload names another shop than its header THEN 400 and nothing is deleted; the real one still purges", async () => {
    const domain = "mismatch-shop.myshopify.com";
    await installShop(domain);
    const forged = (payload: unknown) =>
      uninstalled(args(webhookRequest("/webhooks/app/uninstalled", { topic: "app/uninstalled", shop: domain, webhookId: "wh-mismatch", payload })));
    const wrong = await forged({ id: 1, domain: "other.example.com", myshopify_domain: "other-shop.myshopify.com" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/payload names other-shop\.myshopify\.com: nothing was deleted/);
    expect((await forged({ id: 1 })).status).toBe(400); // names no shop at all
    expect(await db.shop.count({ where: { domain } })).toBe(1);
    expect(await db.session.count({ where: { shop: domain } })).toBe(1);
    // The refusal did not use up the delivery: Shopify's retry with the right payload purges.
    expect((await forged({ id: 1, myshopify_domain: domain })).status).toBe(200);
    expect(await db.shop.count({ where: { domain } })).toBe(0);
  });

  it("GIVEN a shop/redact whose payload names another shop THEN 400 and nothing is deleted or recorded", async () => {
    const domain = "redact-mismatch.myshopify.com";
    await installShop(domain);
    const request = webhookRequest("/webhooks/compliance", { topic: "shop/redact", shop: domain, payload: { shop_id: 2, shop_domain: "victim.myshopify.com" } });
    expect((await compliance(args(request))).status).toBe(400);
    expect(await db.shop.count({ where: { domain } })).toBe(1);
    expect(await db.complianceRequest.count({ where: { shop: domain } })).toBe(0);
  });

  it("app/scopes_update records the granted scopes on the shop's sessions", async () => {
    const domain = "scopes-shop.myshopify.com";
    await installShop(domain);
    const request = webhookRequest("/webhooks/app/scopes_update", {
      topic: "app/scopes_update",
      shop: domain,
      payload: { id: 1, previous: ["read_products"], current: ["read_products", "write_products"] },
    });
    expect((await scopesUpdate(args(request))).status).toBe(200);
    const session = await sessionStorage.loadSession(`offline_${domain}`);
    expect(session?.scope).toBe("read_products,write_products");
  });

  it("customers/data_request and customers/redact answer 200 and are recorded", async () => {
    const domain = "privacy-shop.myshopify.com";
    for (const topic of ["customers/data_request", "customers/redact"]) {
      const request = webhookRequest("/webhooks/compliance", {
        topic,
        shop: domain,
        payload: { shop_id: 1, shop_domain: domain, customer: { id: 191167, email: "john@example.com" } },
      });
      expect((await compliance(args(request))).status).toBe(200);
    }
    const recorded = await db.complianceRequest.findMany({ where: { shop: domain }, orderBy: { topic: "asc" } });
    expect(recorded.map((r) => [r.topic, r.customerId])).toEqual([
      ["CUSTOMERS_DATA_REQUEST", "191167"],
      ["CUSTOMERS_REDACT", "191167"],
    ]);
    // The customer's e-mail Shopify sent is not kept anywhere.
    expect(await rowsMentioning(db, ["john@example.com"])).toEqual([]);
  });

  it("shop/redact, 48 hours after the uninstall, purges whatever is left and is recorded", async () => {
    const domain = "redact-shop.myshopify.com";
    const shop = await installShop(domain);
    // The uninstall's purge already ran; then a straggler session appears (no Shop row: not a reinstall).
    expect((await uninstalled(args(webhookRequest("/webhooks/app/uninstalled", { topic: "app/uninstalled", shop: domain })))).status).toBe(200);
    await sessionStorage.storeSession(new Session({ id: `offline_${domain}`, shop: domain, state: "s", isOnline: false, accessToken: "shpat_late" }));
    const request = webhookRequest("/webhooks/compliance", {
      topic: "shop/redact",
      shop: domain,
      payload: { shop_id: 1, shop_domain: domain },
    });
    expect((await compliance(args(request))).status).toBe(200);
    expect(await rowsMentioning(db, [domain, shop.id], ["ComplianceRequest"])).toEqual([]);
    expect(await db.complianceRequest.count({ where: { shop: domain, topic: "SHOP_REDACT" } })).toBe(1);
  });
});
