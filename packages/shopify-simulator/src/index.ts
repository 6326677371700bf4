// The Shopify simulator's programmatic API.
//
//   const sim = await startSimulator({ appUrl: "http://127.0.0.1:3000" });
//   sim.url                          // http://127.0.0.1:<port>
//   sim.mintIdToken("lightbox-demo.myshopify.com")
//   await sim.deliverWebhook("lightbox-demo.myshopify.com", "app/uninstalled")
//   sim.state.counters.throttled
//   await sim.stop()
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { adminQueryHmac, appLaunchUrl } from "./admin-page.ts";
import type { SimContext } from "./context.ts";
import { approveCharge, declineCharge, purchasePayload, PURCHASE_TOPIC, setFrozen, SUBSCRIPTION_TOPIC, subscriptionPayload } from "./billing.ts";
import type { Notify } from "./billing.ts";
import { advanceClock, mintIdToken, reseed, uninstall } from "./control.ts";
import { issueOfflineToken } from "./oauth.ts";
import { resolveOptions } from "./options.ts";
import type { ResolvedOptions, SimulatorOptions } from "./options.ts";
import { addProduct, createShop, defaultSeed } from "./seed.ts";
import type { SeedProduct, SeedShop } from "./seed.ts";
import { createRequestListener } from "./server.ts";
import { SimulatorState } from "./state.ts";
import { parseGid } from "./state.ts";
import type { AdminFault, SimProduct, SimShop, SimSubscription } from "./state.ts";
import { deliverWebhook, webhookHmac } from "./webhooks.ts";
import type { WebhookDelivery } from "./webhooks.ts";

export type { SimulatorOptions, ResolvedOptions } from "./options.ts";
export type { SeedShop, SeedProduct, SeedPhoto } from "./seed.ts";
export type { SimulatorState, SimShop, SimProduct, SimMedia, SimCounters, SimSubscription, SimPurchase, AdminFault } from "./state.ts";
export type { WebhookDelivery } from "./webhooks.ts";
export { DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_PORT, DEFAULT_WEBHOOK_PATHS } from "./options.ts";
export { catalogueProducts, DEMO_SHOP, defaultSeed, demoProducts } from "./seed.ts";
export { adminQueryHmac, webhookHmac };
export { loadAppExtensions, readExtensionToml, SUPPORTED_TARGETS } from "./extensions.ts";
export type { AppExtension } from "./extensions.ts";

export interface OfflineTokenResponse {
  access_token: string;
  scope: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
}

export interface RunningSimulator {
  /** The simulator's origin, e.g. http://127.0.0.1:4100 */
  url: string;
  state: SimulatorState;
  options: ResolvedOptions;
  /** Stops the server and all pending timers. */
  stop(): Promise<void>;
  /** POSTs a webhook to `${appUrl}${webhookPaths[topic]}` with Shopify's headers. */
  deliverWebhook(shop: string, topic: string, payload?: unknown): Promise<WebhookDelivery>;
  /** A fresh session token (ID token) for the shop's owner (or `userId`). */
  mintIdToken(shop: string, userId?: number): string;
  /** Issues an offline access token without a token exchange (default: expiring, with refresh token). */
  issueAccessToken(shop: string, options?: { expiring?: boolean }): OfflineTokenResponse;
  /** The admin page URL that embeds the app for `shop` (optionally at an app sub-path). */
  adminUrl(shop: string, path?: string): string;
  /** The URL the admin would load in the app iframe (signed, with id_token). */
  appLaunchUrl(shop: string, path?: string): string;
  /** Back to the seeded shops; tokens, buckets, files and counters are forgotten. */
  reset(): void;
  createShop(seed: SeedShop): SimShop;
  addProduct(shop: string, product: SeedProduct): SimProduct;
  /** Uninstalls the app (tokens revoked) and delivers app/uninstalled if appUrl is set. */
  uninstall(shop: string, options?: { notify?: boolean }): Promise<void>;
  shop(shop: string): SimShop;
  /** The next Admin API requests get these answers instead (429 with Retry-After, 5xx), in order. */
  injectAdminFaults(...faults: AdminFault[]): void;
  /** Moves the simulator's clock on: subscription periods renew, pending charges expire. */
  advanceClock(ms: number): void;
  /**
   * The merchant approves a pending charge (by GID) on Shopify's confirmation page. Returns the
   * URL Shopify sends them to. `notify`: its webhook "later" (default), "now", or "none".
   */
  approveCharge(shop: string, chargeId: string, options?: { notify?: Notify }): Promise<string>;
  /** The merchant declines a pending charge. Returns the URL Shopify sends them to. */
  declineCharge(shop: string, chargeId: string, options?: { notify?: Notify }): Promise<string>;
  /** The webhook a charge's current state makes (topic and payload, as deliverWebhook would send it). */
  chargeWebhook(shop: string, chargeId: string): { topic: string; payload: unknown };
  /** Shopify freezes the active subscription (unpaid bills) or resumes the frozen one. */
  freezeSubscription(shop: string, frozen: boolean, options?: { notify?: Notify }): Promise<SimSubscription | null>;
}

/** "gid://shopify/AppSubscription/1" -> ["subscription", 1]. */
function chargeRef(chargeId: string): ["subscription" | "purchase", number] {
  const parsed = parseGid(chargeId);
  if (parsed?.type === "AppSubscription") return ["subscription", parsed.id];
  if (parsed?.type === "AppPurchaseOneTime") return ["purchase", parsed.id];
  throw new Error(`Not a charge GID: ${chargeId}`);
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const resolved = resolveOptions(options, defaultSeed);
  const state = new SimulatorState();
  let origin = "";
  const ctx: SimContext = {
    state,
    options: resolved,
    publicUrl: () => resolved.publicUrl ?? origin,
    now: () => resolved.clock() + state.clockOffsetMs,
  };
  const server = createServer(createRequestListener(ctx));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host;
  origin = `http://${host}:${address.port}`;
  reseed(ctx);

  const shopOrThrow = (domain: string): SimShop => {
    const shop = state.shop(domain);
    if (!shop) throw new Error(`Unknown shop ${domain}`);
    return shop;
  };

  return {
    url: origin,
    state,
    options: resolved,
    async stop() {
      state.clearTimers();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    deliverWebhook: (shop, topic, payload) => deliverWebhook(ctx, shopOrThrow(shop), topic, payload),
    mintIdToken: (shop, userId) => mintIdToken(ctx, shopOrThrow(shop), userId),
    issueAccessToken: (shop, issue) => issueOfflineToken(ctx, shopOrThrow(shop), { expiring: issue?.expiring ?? true }) as unknown as OfflineTokenResponse,
    adminUrl: (shop, path = "") => `${ctx.publicUrl()}/store/${shopOrThrow(shop).handle}/apps/${resolved.appHandle}${path ? `/${path.replace(/^\/+/, "")}` : ""}`,
    appLaunchUrl: (shop, path = "") => appLaunchUrl(ctx, shopOrThrow(shop), path),
    reset: () => reseed(ctx),
    createShop: (seed) => createShop(ctx, seed),
    addProduct: (shop, product) => addProduct(ctx, shopOrThrow(shop), product),
    uninstall: (shop, uninstallOptions) => uninstall(ctx, shopOrThrow(shop), uninstallOptions?.notify ?? true),
    shop: shopOrThrow,
    advanceClock: (ms) => advanceClock(ctx, ms),
    approveCharge: (shop, chargeId, decide) => approveCharge(ctx, shopOrThrow(shop), ...chargeRef(chargeId), decide?.notify),
    declineCharge: (shop, chargeId, decide) => declineCharge(ctx, shopOrThrow(shop), ...chargeRef(chargeId), decide?.notify),
    freezeSubscription: (shop, frozen, freeze) => setFrozen(ctx, shopOrThrow(shop), frozen, freeze?.notify),
    chargeWebhook: (domain, chargeId) => {
      const shop = shopOrThrow(domain);
      const [kind, id] = chargeRef(chargeId);
      const subscription = kind === "subscription" ? shop.subscriptions.get(id) : undefined;
      const purchase = kind === "purchase" ? shop.purchases.get(id) : undefined;
      if (subscription) return { topic: SUBSCRIPTION_TOPIC, payload: subscriptionPayload(shop, subscription) };
      if (purchase) return { topic: PURCHASE_TOPIC, payload: purchasePayload(shop, purchase) };
      throw new Error(`No charge ${chargeId} in ${domain}`);
    },
    injectAdminFaults: (...faults) => void state.adminFaults.push(...faults),
  };
}
