// The Billing API as the simulator speaks it: charges created PENDING with a confirmation page,
// approved or declined there (status, webhook with Shopify's payload shape, where the merchant is
// sent), subscriptions renewing on the simulator's clock without a webhook, cancel and freeze.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator } from "../src/index.ts";
import type { RunningSimulator } from "../src/index.ts";
import { adminGraphql, DEMO_SHOP, startStubServer, waitFor } from "../src/test-helpers.ts";

let sim: RunningSimulator;
let app: Awaited<ReturnType<typeof startStubServer>>;
let token: string;
const now = Date.parse("2026-12-03T10:00:00Z");

const DAY = 24 * 3600 * 1000;
const RETURN_URL = "https://admin.example/store/lightbox-demo/apps/lightbox/app/plans";

const CREATE_SUBSCRIPTION = `mutation Sub($name: String!, $returnUrl: URL!, $test: Boolean, $lineItems: [AppSubscriptionLineItemInput!]!) {
  appSubscriptionCreate(name: $name, returnUrl: $returnUrl, test: $test, lineItems: $lineItems) {
    appSubscription { id status test currentPeriodEnd lineItems { plan { pricingDetails { ... on AppRecurringPricing { interval price { amount currencyCode } } } } } }
    confirmationUrl
    userErrors { field message }
  }
}`;
const CREATE_PURCHASE = `mutation Buy($name: String!, $price: MoneyInput!, $returnUrl: URL!, $test: Boolean) {
  appPurchaseOneTimeCreate(name: $name, price: $price, returnUrl: $returnUrl, test: $test) {
    appPurchaseOneTime { id status test price { amount currencyCode } }
    confirmationUrl
    userErrors { field message }
  }
}`;
const CHARGE = `query Charge($id: ID!) {
  node(id: $id) {
    ... on AppSubscription { id name subscriptionStatus: status currentPeriodEnd }
    ... on AppPurchaseOneTime { id name purchaseStatus: status }
  }
}`;
const ACTIVE = `{ currentAppInstallation { activeSubscriptions { id status currentPeriodEnd } oneTimePurchases(first: 10) { nodes { id status } } } }`;

type SubscriptionCreated = {
  appSubscriptionCreate: { appSubscription: { id: string; status: string; test: boolean; currentPeriodEnd: string | null } | null; confirmationUrl: string | null; userErrors: unknown[] };
};
type PurchaseCreated = { appPurchaseOneTimeCreate: { appPurchaseOneTime: { id: string; status: string } | null; confirmationUrl: string | null; userErrors: unknown[] } };
type ChargeNode = { node: { id: string; subscriptionStatus?: string; purchaseStatus?: string; currentPeriodEnd?: string | null } | null };

const subscribe = (name = "Lightbox Pro", amount = "49.00") =>
  adminGraphql<SubscriptionCreated>(sim, token, CREATE_SUBSCRIPTION, {
    name,
    returnUrl: RETURN_URL,
    test: true,
    lineItems: [{ plan: { appRecurringPricingDetails: { price: { amount, currencyCode: "USD" }, interval: "EVERY_30_DAYS" } } }],
  });
const buy = () => adminGraphql<PurchaseCreated>(sim, token, CREATE_PURCHASE, { name: "Lightbox 100 credits", price: { amount: "12.00", currencyCode: "USD" }, returnUrl: RETURN_URL, test: true });
const charge = async (id: string) => (await adminGraphql<ChargeNode>(sim, token, CHARGE, { id })).body.data?.node;

beforeAll(async () => {
  app = await startStubServer((_req, res) => {
    res.writeHead(200);
    res.end("ok");
  });
  sim = await startSimulator({ appUrl: app.url, clock: () => now, billingWebhookDelayMs: 0 });
});
afterAll(async () => {
  await sim.stop();
  await app.close();
});
beforeEach(() => {
  sim.reset();
  app.requests.length = 0;
  token = sim.issueAccessToken(DEMO_SHOP).access_token;
});

describe("charges", () => {
  it("GIVEN appPurchaseOneTimeCreate THEN a PENDING purchase and a signed confirmation page that shows name, price and test", async () => {
    const { body } = await buy();
    const created = body.data!.appPurchaseOneTimeCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.appPurchaseOneTime).toMatchObject({ status: "PENDING", test: true, price: { amount: "12.0", currencyCode: "USD" } });
    expect(created.confirmationUrl).toMatch(new RegExp(`^${sim.url}/store/lightbox-demo/charges/lightbox/\\d+/ApplicationCharge/confirm_application_charge\\?signature=`));

    const page = await fetch(created.confirmationUrl!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Approve charge");
    expect(html).toContain("Lightbox 100 credits");
    expect(html).toContain("$12.00 USD once");
    expect(html).toContain("test charge");
    expect((await fetch(created.confirmationUrl!.replace(/signature=.*/, "signature=forged"))).status).toBe(404);
  });

  it("GIVEN the merchant approves on the page THEN ACTIVE, sent to returnUrl?charge_id=<id>, and app_purchases_one_time/update in Shopify's shape", async () => {
    const created = (await buy()).body.data!.appPurchaseOneTimeCreate;
    const url = new URL(created.confirmationUrl!);
    const answer = await fetch(url.origin + url.pathname, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ signature: url.searchParams.get("signature")!, decision: "approve" }).toString(),
      redirect: "manual",
    });
    expect(answer.status).toBe(303);
    const numeric = created.appPurchaseOneTime!.id.split("/").pop();
    expect(answer.headers.get("location")).toBe(`${RETURN_URL}?charge_id=${numeric}`);
    expect((await charge(created.appPurchaseOneTime!.id))?.purchaseStatus).toBe("ACTIVE");

    const hook = await waitFor(() => app.requests.find((r) => r.url === "/webhooks/billing"));
    expect(hook.headers["x-shopify-topic"]).toBe("app_purchases_one_time/update");
    const payload = JSON.parse(hook.body.toString("utf8")) as { app_purchase_one_time: Record<string, unknown> };
    expect(Object.keys(payload.app_purchase_one_time).sort()).toEqual(["admin_graphql_api_id", "admin_graphql_api_shop_id", "created_at", "name", "status", "updated_at"]);
    expect(payload.app_purchase_one_time).toMatchObject({ admin_graphql_api_id: created.appPurchaseOneTime!.id, status: "ACTIVE", name: "Lightbox 100 credits" });

    // The page of a decided charge only says so.
    expect(await (await fetch(created.confirmationUrl!)).text()).toContain("This charge is active");
  });

  it("GIVEN the merchant declines THEN DECLINED, back to the app without a charge_id, and a webhook", async () => {
    const created = (await buy()).body.data!.appPurchaseOneTimeCreate;
    const back = await sim.declineCharge(DEMO_SHOP, created.appPurchaseOneTime!.id, { notify: "now" });
    expect(back).toBe(`${sim.url}/store/lightbox-demo/apps/lightbox`);
    expect((await charge(created.appPurchaseOneTime!.id))?.purchaseStatus).toBe("DECLINED");
    const payload = JSON.parse(app.requests[0]!.body.toString("utf8")) as { app_purchase_one_time: { status: string } };
    expect(payload.app_purchase_one_time.status).toBe("DECLINED");
  });

  it("GIVEN a price of 0 or a bad return URL THEN userErrors and no charge", async () => {
    const { body } = await adminGraphql<PurchaseCreated>(sim, token, CREATE_PURCHASE, { name: "x", price: { amount: "0", currencyCode: "USD" }, returnUrl: "javascript:alert(1)" });
    expect(body.data!.appPurchaseOneTimeCreate).toEqual({
      appPurchaseOneTime: null,
      confirmationUrl: null,
      userErrors: [
        { field: ["returnUrl"], message: "Return url is invalid" },
        { field: ["price"], message: "Price must be greater than 0" },
      ],
    });
    expect(sim.shop(DEMO_SHOP).purchases.size).toBe(0);
  });

  it("GIVEN a pending charge left for two days THEN it is EXPIRED", async () => {
    const created = (await buy()).body.data!.appPurchaseOneTimeCreate;
    sim.advanceClock(2 * DAY + 1000);
    token = sim.issueAccessToken(DEMO_SHOP).access_token; // the old one expired meanwhile
    expect((await charge(created.appPurchaseOneTime!.id))?.purchaseStatus).toBe("EXPIRED");
    const hook = await waitFor(() => app.requests.find((r) => r.url === "/webhooks/billing"));
    expect(JSON.parse(hook.body.toString("utf8"))).toMatchObject({ app_purchase_one_time: { status: "EXPIRED" } });
  });
});

describe("subscriptions", () => {
  it("GIVEN an approved subscription THEN ACTIVE with a period of 30 days, listed as active, app_subscriptions/update with every field of Shopify's example", async () => {
    const created = (await subscribe()).body.data!.appSubscriptionCreate;
    expect(created.appSubscription).toMatchObject({ status: "PENDING", currentPeriodEnd: null });
    expect(created.confirmationUrl).toContain("/RecurringApplicationCharge/confirm_recurring_application_charge?signature=");
    await sim.approveCharge(DEMO_SHOP, created.appSubscription!.id, { notify: "now" });

    const node = await charge(created.appSubscription!.id);
    expect(node).toMatchObject({ subscriptionStatus: "ACTIVE", currentPeriodEnd: new Date(now + 30 * DAY).toISOString().replace(/\.\d{3}Z$/, "Z") });
    const active = await adminGraphql<{ currentAppInstallation: { activeSubscriptions: Array<{ id: string }> } }>(sim, token, ACTIVE);
    expect(active.body.data?.currentAppInstallation.activeSubscriptions.map((s) => s.id)).toEqual([created.appSubscription!.id]);

    const payload = JSON.parse(app.requests[0]!.body.toString("utf8")) as { app_subscription: Record<string, unknown> };
    expect(Object.keys(payload.app_subscription).sort()).toEqual(
      ["admin_graphql_api_id", "admin_graphql_api_shop_id", "capped_amount", "created_at", "currency", "interval", "name", "plan_handle", "price", "status", "updated_at"].sort(),
    );
    expect(payload.app_subscription).toMatchObject({ status: "ACTIVE", price: "49.00", interval: "every_30_days", currency: "USD" });
  });

  it("GIVEN the clock passes the period end THEN the period moves on by 30 days, with no webhook", async () => {
    const created = (await subscribe()).body.data!.appSubscriptionCreate;
    await sim.approveCharge(DEMO_SHOP, created.appSubscription!.id, { notify: "none" });
    const first = (await charge(created.appSubscription!.id))?.currentPeriodEnd;
    sim.advanceClock(30 * DAY + 60_000);
    token = sim.issueAccessToken(DEMO_SHOP).access_token;
    const second = (await charge(created.appSubscription!.id))?.currentPeriodEnd;
    expect(Date.parse(second!) - Date.parse(first!)).toBe(30 * DAY);
    expect(app.requests).toEqual([]);
  });

  it("GIVEN a second plan approved THEN the first is CANCELLED (replaced at once) and only the new one is active", async () => {
    const pro = (await subscribe("Lightbox Pro", "49.00")).body.data!.appSubscriptionCreate.appSubscription!;
    await sim.approveCharge(DEMO_SHOP, pro.id, { notify: "none" });
    const starter = (await subscribe("Lightbox Starter", "19.00")).body.data!.appSubscriptionCreate.appSubscription!;
    await sim.approveCharge(DEMO_SHOP, starter.id, { notify: "now" });
    expect((await charge(pro.id))?.subscriptionStatus).toBe("CANCELLED");
    expect((await charge(starter.id))?.subscriptionStatus).toBe("ACTIVE");
    const statuses = app.requests.map((r) => (JSON.parse(r.body.toString("utf8")) as { app_subscription: { status: string } }).app_subscription.status);
    expect(statuses).toEqual(["CANCELLED", "ACTIVE"]);
  });

  it("GIVEN appSubscriptionCancel THEN CANCELLED without a period; FROZEN and resumed THEN the period comes back", async () => {
    const pro = (await subscribe()).body.data!.appSubscriptionCreate.appSubscription!;
    await sim.approveCharge(DEMO_SHOP, pro.id, { notify: "none" });
    const periodEnd = (await charge(pro.id))?.currentPeriodEnd;

    await sim.freezeSubscription(DEMO_SHOP, true, { notify: "none" });
    expect(await charge(pro.id)).toMatchObject({ subscriptionStatus: "FROZEN", currentPeriodEnd: null });
    await sim.freezeSubscription(DEMO_SHOP, false, { notify: "none" });
    expect(await charge(pro.id)).toMatchObject({ subscriptionStatus: "ACTIVE", currentPeriodEnd: periodEnd });

    const cancel = await adminGraphql<{ appSubscriptionCancel: { appSubscription: { status: string } | null; userErrors: unknown[] } }>(
      sim,
      token,
      `mutation Cancel($id: ID!) { appSubscriptionCancel(id: $id) { appSubscription { status } userErrors { field message } } }`,
      { id: pro.id },
    );
    expect(cancel.body.data?.appSubscriptionCancel).toEqual({ appSubscription: { status: "CANCELLED" }, userErrors: [] });
    expect(await charge(pro.id)).toMatchObject({ subscriptionStatus: "CANCELLED", currentPeriodEnd: null });
  });

  it("GIVEN usage pricing or a trial THEN NOT_IMPLEMENTED, never invented", async () => {
    const { body } = await adminGraphql(sim, token, CREATE_SUBSCRIPTION, {
      name: "Usage",
      returnUrl: RETURN_URL,
      lineItems: [{ plan: { appUsagePricingDetails: { cappedAmount: { amount: "10", currencyCode: "USD" }, terms: "per image" } } }],
    });
    expect(Array.isArray(body.errors) ? body.errors[0]?.extensions?.code : null).toBe("NOT_IMPLEMENTED");
  });
});
