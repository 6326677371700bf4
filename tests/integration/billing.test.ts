// Plans and credit packs through the local Shopify (its Billing API validates every document
// against the real 2026-10 schema): the Plans page asks for a charge and sends the merchant to
// Shopify's confirmation page; the return (?charge_id) and both billing webhooks grant the
// charge's credits exactly once, whichever comes first; decline grants nothing; a new billing
// period grants the next cycle once and ends what the last one left; cancel, downgrade and
// freeze do what a merchant expects.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { RENEWALS_EVERY_MS, RENEWALS_JOB } from "~/billing/billing-job.server";
import { refreshPlan, shopsDueForRenewal } from "~/billing/refresh-plan.server";
import { debitCredits } from "~/credits/ledger.server";
import { expirePlanCredits } from "~/credits/plan-credits.server";
import { CREDIT_PACKS, PLANS, TRIAL_CREDITS } from "~/credits/prices";
import { db } from "~/db.server";
import { appJobs } from "~/jobs/definitions.server";
import { loader as plansLoader, action as plansAction } from "~/routes/app.plans";
import { action as billingWebhook } from "~/routes/webhooks.billing";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";

import { adminRequest, routeArgs, settle } from "../helpers/admin";
import { webhookRequest } from "../helpers/webhooks";
import { installShop, startHarness, type PublishHarness } from "../publish/support";

const DAY = 86_400_000;
const REAUTHORIZE = "X-Shopify-API-Request-Failure-Reauthorize-Url";

let h: PublishHarness;
let shop: { id: string; domain: string };
let simNow = Date.now();

beforeAll(async () => {
  h = await startHarness({ clock: () => simNow });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(async () => {
  // A store of its own per test (charges, clock and trial do not leak between tests).
  simNow = Date.now();
  const domain = `billing-${randomUUID().slice(0, 8)}.myshopify.com`;
  h.sim.createShop({ domain, name: "Billing test", products: [] });
  shop = await installShop(h.sim, domain);
});

async function balance() {
  const row = await db.shop.findUniqueOrThrow({ where: { id: shop.id }, select: { creditBalance: true, includedCredits: true } });
  const sum = await db.creditEntry.aggregate({ where: { shopId: shop.id }, _sum: { amount: true } });
  expect(sum._sum.amount ?? 0, "the balance equals the ledger's sum").toBe(row.creditBalance);
  return row;
}

/** The merchant clicks a plan or pack button on the Plans page: Shopify's confirmation URL, left to at the top. */
async function choose(fields: Record<string, string>): Promise<{ chargeId: string; confirmationUrl: string }> {
  const request = await adminRequest(shop.domain, "/app/plans", { method: "POST", body: new URLSearchParams(fields) });
  const response = await settle(plansAction(routeArgs(request)));
  expect(response.status, await response.clone().text()).toBe(401);
  const confirmationUrl = response.headers.get(REAUTHORIZE)!;
  expect(confirmationUrl).toMatch(/\/charges\/lightbox\/\d+\/(RecurringApplicationCharge|ApplicationCharge)\/confirm_/);
  const charge = await db.billingCharge.findFirstOrThrow({ where: { shopId: shop.id }, orderBy: { createdAt: "desc" } });
  expect(charge).toMatchObject({ status: "PENDING", test: true });
  return { chargeId: charge.chargeId, confirmationUrl };
}

/** Shopify sends the merchant back to the Plans page with ?charge_id=<id>. */
async function returnTo(url: string) {
  const chargeId = new URL(url).searchParams.get("charge_id");
  const request = await adminRequest(shop.domain, `/app/plans?charge_id=${chargeId}`);
  const response = await settle(plansLoader(routeArgs(request)));
  expect(response.status).toBe(200);
  return (await response.json()) as { returned: { status: string; granted: number; credits: number } | null; notice: string | null; plan: { id: string; status: string | null; renewsAt: string | null } };
}

/** Shopify delivers the charge's webhook (as the simulator would send it now). */
async function deliver(chargeId: string, webhookId = randomUUID()) {
  const { topic, payload } = h.sim.chargeWebhook(shop.domain, chargeId);
  const response = await billingWebhook(routeArgs(webhookRequest("/webhooks/billing", { topic, shop: shop.domain, payload, webhookId })));
  expect(response.status).toBe(200);
}

async function plansPageNow() {
  return returnToPath("/app/plans");
}
async function returnToPath(path: string) {
  const response = await settle(plansLoader(routeArgs(await adminRequest(shop.domain, path))));
  return (await response.json()) as { plan: { id: string; status: string | null; renewsAt: string | null }; credits: { balance: number; includedLeft: number }; notice: string | null };
}

describe("credit packs", () => {
  it("GIVEN a pack approved WHEN the return and the webhook (twice, and once more under another id) all arrive at once THEN the balance rises once", async () => {
    const { chargeId } = await choose({ intent: "buy-pack", packId: "pack-100" });
    const back = await h.sim.approveCharge(shop.domain, chargeId, { notify: "none" });
    const webhookId = randomUUID();
    const [page] = await Promise.all([returnTo(back), deliver(chargeId, webhookId), deliver(chargeId, webhookId), deliver(chargeId)]);
    expect(page.returned).toMatchObject({ status: "ACTIVE", credits: 100 });

    expect((await balance()).creditBalance).toBe(TRIAL_CREDITS + CREDIT_PACKS["pack-100"].credits);
    const grants = await db.creditEntry.findMany({ where: { shopId: shop.id, key: { startsWith: "pack:" } } });
    expect(grants).toEqual([expect.objectContaining({ amount: 100, key: `pack:${chargeId}`, reason: "Credit pack: 100 credits" })]);

    // A reload of the return URL later still shows the purchase and adds nothing.
    expect((await returnTo(back)).returned).toMatchObject({ status: "ACTIVE", granted: 0 });
    expect((await balance()).creditBalance).toBe(110);
  });

  it("GIVEN the merchant declines THEN no credits, the charge reads DECLINED, the webhook changes nothing", async () => {
    const { chargeId } = await choose({ intent: "buy-pack", packId: "pack-500" });
    await h.sim.declineCharge(shop.domain, chargeId, { notify: "none" });
    await deliver(chargeId);
    expect(await db.billingCharge.findUniqueOrThrow({ where: { chargeId } })).toMatchObject({ status: "DECLINED" });
    // Even a hand-made return for the declined charge grants nothing, and says so.
    const page = await returnTo(`https://admin.example/?charge_id=${chargeId.split("/").pop()}`);
    expect(page.returned).toMatchObject({ status: "DECLINED", granted: 0 });
    expect((await balance()).creditBalance).toBe(TRIAL_CREDITS);
  });

  it("GIVEN a charge_id that is not this shop's, an unknown pack, a webhook for a charge Lightbox never made THEN a clear message and nothing granted", async () => {
    const page = await returnTo("https://admin.example/?charge_id=99999999");
    expect(page.returned).toBeNull();
    expect(page.notice).toBe("This charge was not made by Lightbox for your store. Open Plans from the app's menu and choose again.");

    const request = await adminRequest(shop.domain, "/app/plans", { method: "POST", body: new URLSearchParams({ intent: "buy-pack", packId: "pack-9000" }) });
    const refused = await settle(plansAction(routeArgs(request)));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { detail: string } }).error.detail).toBe('There is no credit pack "pack-9000". Choose one of 100 credits, 500 credits.');

    const foreign = webhookRequest("/webhooks/billing", {
      topic: "app_purchases_one_time/update",
      shop: shop.domain,
      payload: { app_purchase_one_time: { admin_graphql_api_id: "gid://shopify/AppPurchaseOneTime/1", name: "x", status: "ACTIVE" } },
    });
    expect((await billingWebhook(routeArgs(foreign))).status).toBe(200);
    expect((await balance()).creditBalance).toBe(TRIAL_CREDITS);
    expect(await db.billingCharge.count({ where: { shopId: shop.id } })).toBe(0);
  });
});

describe("plans", () => {
  /** Chosen and approved; the return and the webhook race (the cycle is granted by whichever is first). */
  async function subscribe(planId: "starter" | "pro") {
    const { chargeId } = await choose({ intent: "choose-plan", planId });
    const back = await h.sim.approveCharge(shop.domain, chargeId, { notify: "none" });
    const [page] = await Promise.all([returnTo(back), deliver(chargeId)]);
    expect(page.returned).toMatchObject({ status: "ACTIVE", credits: PLANS[planId].includedCredits });
    expect(await db.creditEntry.count({ where: { key: { startsWith: `plan:${chargeId}:` } } })).toBe(1);
    return chargeId;
  }

  it("GIVEN Starter approved THEN its included credits; WHEN Shopify renews it THEN the next cycle is granted once and what was left expires", async () => {
    const chargeId = await subscribe("starter");
    expect(await balance()).toMatchObject({ creditBalance: TRIAL_CREDITS + 200, includedCredits: 200 });
    // Included credits are spent first.
    await debitCredits(db, { shopId: shop.id, amount: 3, generationId: `g-${randomUUID()}`, reason: "3 images" });
    expect(await balance()).toMatchObject({ creditBalance: TRIAL_CREDITS + 197, includedCredits: 197 });

    // 30 days on: Shopify has billed the next period (no webhook for that).
    simNow += 30 * DAY + 60_000;
    const later = new Date(simNow);
    expect((await shopsDueForRenewal(db, later)).map((s) => s.domain)).toContain(shop.domain);
    expect(await refreshPlan(db, adminGraphqlFor(shop.domain), { shopId: shop.id, now: later })).toBe(200);
    expect(await balance()).toMatchObject({ creditBalance: TRIAL_CREDITS + 200, includedCredits: 200 });
    // Asked again (the next hourly run, the Plans page): nothing more.
    expect(await refreshPlan(db, adminGraphqlFor(shop.domain), { shopId: shop.id, now: later })).toBe(0);
    expect((await shopsDueForRenewal(db, later)).map((s) => s.domain)).not.toContain(shop.domain);

    const ledger = await db.creditEntry.findMany({ where: { shopId: shop.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(ledger.map((e) => [e.kind, e.amount])).toEqual([
      ["grant", TRIAL_CREDITS],
      ["grant", 200],
      ["debit", -3],
      ["expire", -197],
      ["grant", 200],
    ]);
    expect(ledger.filter((e) => e.key.startsWith(`plan:${chargeId}:`))).toHaveLength(2);
    // The renewal check runs hourly.
    expect(appJobs().schedules).toContainEqual({ type: RENEWALS_JOB, everyMs: RENEWALS_EVERY_MS });
  });

  it("GIVEN Free chosen THEN Shopify cancels the plan, this cycle's credits stay until it ends, then expire and never renew; bought packs stay", async () => {
    const subscription = await subscribe("starter");
    const pack = await choose({ intent: "buy-pack", packId: "pack-100" });
    await returnTo(await h.sim.approveCharge(shop.domain, pack.chargeId, { notify: "none" }));

    const request = await adminRequest(shop.domain, "/app/plans", { method: "POST", body: new URLSearchParams({ intent: "choose-plan", planId: "free" }) });
    const cancelled = await settle(plansAction(routeArgs(request)));
    expect(((await cancelled.json()) as { ok: string }).ok).toBe("The Starter plan is cancelled: you are on Free. This cycle's plan credits stay until it ends.");
    expect(h.sim.shop(shop.domain).subscriptions.get(Number(subscription.split("/").pop()))?.status).toBe("CANCELLED");
    expect(await balance()).toMatchObject({ creditBalance: TRIAL_CREDITS + 200 + 100, includedCredits: 200 });
    expect((await plansPageNow()).plan).toMatchObject({ id: "free", status: null });

    simNow += 30 * DAY + 60_000;
    const later = new Date(simNow);
    expect(await refreshPlan(db, adminGraphqlFor(shop.domain), { shopId: shop.id, now: later })).toBe(0);
    expect(await balance()).toMatchObject({ creditBalance: TRIAL_CREDITS + 100, includedCredits: 0 });
    expect(await expirePlanCredits(db, { shopId: shop.id, now: later })).toBe(0);
  });

  it("GIVEN Pro WHEN the merchant downgrades to Starter THEN Pro is cancelled at Shopify, its unused credits end and Starter's are granted", async () => {
    const pro = await subscribe("pro");
    expect(await balance()).toMatchObject({ includedCredits: 600 });
    const starter = await subscribe("starter");
    await deliver(pro); // Shopify's app_subscriptions/update for the replaced plan
    expect(await db.billingCharge.findUniqueOrThrow({ where: { chargeId: pro } })).toMatchObject({ status: "CANCELLED" });
    expect(await db.billingCharge.findUniqueOrThrow({ where: { chargeId: starter } })).toMatchObject({ status: "ACTIVE" });
    expect(await balance()).toMatchObject({ creditBalance: TRIAL_CREDITS + 200, includedCredits: 200 });
    expect((await plansPageNow()).plan).toMatchObject({ id: "starter", status: "ACTIVE" });

    const again = await settle(plansAction(routeArgs(await adminRequest(shop.domain, "/app/plans", { method: "POST", body: new URLSearchParams({ intent: "choose-plan", planId: "starter" }) }))));
    expect(again.status).toBe(409);
  });

  it("GIVEN Shopify freezes the plan THEN the page says so and no cycle is granted while frozen; resumed THEN the next period is granted", async () => {
    const chargeId = await subscribe("starter");
    await h.sim.freezeSubscription(shop.domain, true, { notify: "none" });
    await deliver(chargeId);
    expect((await plansPageNow()).plan).toMatchObject({ id: "starter", status: "FROZEN", renewsAt: null });

    simNow += 30 * DAY + 60_000;
    const later = new Date(simNow);
    expect(await refreshPlan(db, adminGraphqlFor(shop.domain), { shopId: shop.id, now: later })).toBe(0);
    expect(await balance()).toMatchObject({ creditBalance: TRIAL_CREDITS, includedCredits: 0 }); // the cycle ended unused

    await h.sim.freezeSubscription(shop.domain, false, { notify: "none" });
    await deliver(chargeId);
    expect(await balance()).toMatchObject({ creditBalance: TRIAL_CREDITS + 200, includedCredits: 200 });
    expect((await plansPageNow()).plan).toMatchObject({ status: "ACTIVE" });
  });
});
