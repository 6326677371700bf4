// The simulator's own endpoints under /_sim (not Shopify's): tokens for the admin page, the
// resource picker's product list, webhooks on demand, reset, shop creation, uninstall, state.
import { advanceBilling, cancelOnUninstall, setFrozen } from "./billing.ts";
import type { HttpResult, SimContext } from "./context.ts";
import { mintSessionToken } from "./jwt.ts";
import { issueOfflineToken, revokeShopTokens } from "./oauth.ts";
import { createShop } from "./seed.ts";
import type { SeedShop } from "./seed.ts";
import { gid, parseGid } from "./state.ts";
import type { AdminFault, SimProduct, SimShop } from "./state.ts";
import { matchesProductQuery } from "./graphql/connection.ts";
import { deliverWebhook } from "./webhooks.ts";

const ok = (body: unknown, status = 200): HttpResult => ({ status, body });
const bad = (message: string, status = 400): HttpResult => ({ status, body: { error: message } });

/** A product as App Bridge's resource picker returns it. */
export function pickerProduct(ctx: SimContext, shop: SimShop, product: SimProduct): Record<string, unknown> {
  const images = product.mediaIds
    .map((id) => shop.media.get(id))
    .filter((media) => media?.status === "READY" && media.image)
    .map((media) => ({
      id: gid("ProductImage", media?.image?.id ?? 0),
      altText: media?.alt ?? "",
      originalSrc: `${ctx.publicUrl()}${media?.image?.path ?? ""}?v=1`,
    }));
  return {
    id: gid("Product", product.id),
    title: product.title,
    handle: product.handle,
    status: product.status,
    vendor: product.vendor,
    productType: product.productType,
    tags: product.tags,
    descriptionHtml: product.descriptionHtml,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
    publishedAt: product.publishedAt,
    templateSuffix: null,
    hasOnlyDefaultVariant: true,
    totalInventory: 0,
    totalVariants: 1,
    tracksInventory: false,
    availablePublicationCount: product.status === "ACTIVE" ? 1 : 0,
    images,
    options: [{ id: gid("ProductOption", product.id), name: "Title", position: 1, values: ["Default Title"] }],
    variants: [
      {
        id: gid("ProductVariant", product.id),
        title: "Default Title",
        displayName: `${product.title} - Default Title`,
        price: "25.00",
        compareAtPrice: null,
        sku: product.handle,
        availableForSale: product.status === "ACTIVE",
        inventoryPolicy: "DENY",
        inventoryQuantity: 0,
        position: 1,
        selectedOptions: [{ name: "Title", value: "Default Title" }],
        createdAt: product.createdAt,
        updatedAt: product.updatedAt,
      },
    ],
  };
}

export function pickerProducts(ctx: SimContext, shop: SimShop, search: URLSearchParams): Record<string, unknown>[] {
  const ids = (search.get("ids") ?? "")
    .split(",")
    .map((id) => parseGid(id)?.id)
    .filter((id): id is number => typeof id === "number");
  let filter: { archived?: boolean; draft?: boolean; query?: string } = {};
  try {
    filter = JSON.parse(search.get("filter") ?? "{}") as typeof filter;
  } catch {
    filter = {};
  }
  const products = [...shop.products.values()].sort((a, b) => a.title.localeCompare(b.title));
  return products
    .filter((product) => (ids.length > 0 ? ids.includes(product.id) : true))
    .filter((product) => ids.length > 0 || matchesProductQuery(product, search.get("query")))
    .filter((product) => ids.length > 0 || matchesProductQuery(product, filter.query ?? null))
    .filter((product) => ids.length > 0 || filter.archived !== false || product.status !== "ARCHIVED")
    .filter((product) => ids.length > 0 || filter.draft !== false || product.status !== "DRAFT")
    .map((product) => pickerProduct(ctx, shop, product));
}

export function mintIdToken(ctx: SimContext, shop: SimShop, userId?: number): string {
  return mintSessionToken({
    shop: shop.domain,
    apiKey: ctx.options.apiKey,
    apiSecret: ctx.options.apiSecret,
    userId: userId ?? shop.ownerUserId,
    nowSeconds: Math.floor(ctx.now() / 1000),
  }).token;
}

/** Uninstalls the app from a shop: tokens stop working; app/uninstalled goes to the app. */
export async function uninstall(ctx: SimContext, shop: SimShop, notify = true): Promise<void> {
  shop.installed = false;
  cancelOnUninstall(ctx, shop);
  revokeShopTokens(ctx, shop);
  if (notify && ctx.options.appUrl) await deliverWebhook(ctx, shop, "app/uninstalled");
}

/** Moves the simulator's clock on (every shop's billing periods follow). */
export function advanceClock(ctx: SimContext, ms: number): void {
  ctx.state.clockOffsetMs += ms;
  for (const shop of ctx.state.shops.values()) advanceBilling(ctx, shop);
}

export function reseed(ctx: SimContext): void {
  ctx.state.clear();
  for (const seed of ctx.options.seed ?? []) createShop(ctx, seed);
}

export async function handleControl(ctx: SimContext, method: string, path: string, search: URLSearchParams, body: string): Promise<HttpResult | null> {
  const json = (): Record<string, unknown> => {
    if (!body.trim()) return {};
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  const shopFrom = (value: unknown) => (typeof value === "string" ? ctx.state.shop(value) : undefined);

  if (method === "GET" && path === "/_sim/health") return ok({ ok: true });
  if (method === "GET" && path === "/_sim/state") {
    return ok({
      counters: ctx.state.counters,
      shops: [...ctx.state.shops.values()].map((shop) => ({
        domain: shop.domain,
        installed: shop.installed,
        scopes: shop.grantedScopes,
        products: shop.products.size,
        media: shop.media.size,
      })),
      webhooks: ctx.state.webhooks,
    });
  }
  if (method === "GET" && path === "/_sim/id-token") {
    const shop = shopFrom(search.get("shop"));
    if (!shop) return bad("Unknown shop", 404);
    const user = search.get("user");
    return ok({ idToken: mintIdToken(ctx, shop, user ? Number(user) : undefined) });
  }
  const productsPath = /^\/_sim\/shops\/([^/]+)\/products$/.exec(path);
  if (method === "GET" && productsPath) {
    const shop = shopFrom(decodeURIComponent(productsPath[1] ?? ""));
    if (!shop) return bad("Unknown shop", 404);
    return ok({ products: pickerProducts(ctx, shop, search) });
  }
  if (method === "POST" && path === "/_sim/webhooks") {
    const input = json();
    const shop = shopFrom(input.shop);
    if (!shop) return bad("Unknown shop", 404);
    if (typeof input.topic !== "string") return bad("topic is required");
    if (!ctx.options.appUrl) return bad("The simulator has no appUrl to deliver to");
    try {
      const delivery = await deliverWebhook(ctx, shop, input.topic, input.payload);
      return ok({ topic: delivery.topic, url: delivery.url, status: delivery.status, error: delivery.error, webhookId: delivery.webhookId, eventId: delivery.eventId });
    } catch (error) {
      return bad((error as Error).message);
    }
  }
  if (method === "POST" && path === "/_sim/reset") {
    reseed(ctx);
    return ok({ ok: true, shops: [...ctx.state.shops.keys()] });
  }
  if (method === "POST" && path === "/_sim/shops") {
    const input = json() as unknown as SeedShop;
    if (typeof input.domain !== "string" || !input.domain) return bad("domain is required");
    try {
      const shop = createShop(ctx, input);
      return ok({ domain: shop.domain, id: gid("Shop", shop.id), products: shop.products.size, adminUrl: `${ctx.publicUrl()}/store/${shop.handle}/apps/${ctx.options.appHandle}` }, 201);
    } catch (error) {
      return bad((error as Error).message, 409);
    }
  }
  if (method === "POST" && path === "/_sim/faults") {
    const faults = json().faults;
    if (!Array.isArray(faults)) return { status: 400, body: { error: 'Send {"faults": [{"status": 503}, {"status": 429, "retryAfterSeconds": 2}]}' } };
    ctx.state.adminFaults.push(...(faults as AdminFault[]));
    return ok({ queued: ctx.state.adminFaults.length });
  }
  if (method === "POST" && path === "/_sim/uninstall") {
    const shop = shopFrom(json().shop);
    if (!shop) return bad("Unknown shop", 404);
    await uninstall(ctx, shop);
    return ok({ ok: true });
  }
  if (method === "POST" && path === "/_sim/clock") {
    const advanceMs = Number(json().advanceMs);
    if (!Number.isFinite(advanceMs) || advanceMs < 0) return bad("advanceMs must be a number of milliseconds >= 0");
    advanceClock(ctx, advanceMs);
    return ok({ now: new Date(ctx.now()).toISOString() });
  }
  if (method === "POST" && path === "/_sim/billing/freeze") {
    const input = json();
    const shop = shopFrom(input.shop);
    if (!shop) return bad("Unknown shop", 404);
    const subscription = await setFrozen(ctx, shop, input.frozen !== false);
    return subscription ? ok({ id: gid("AppSubscription", subscription.id), status: subscription.status }) : bad("No subscription to freeze or resume", 409);
  }
  if (method === "POST" && path === "/_sim/tokens") {
    const input = json();
    const shop = shopFrom(input.shop);
    if (!shop) return bad("Unknown shop", 404);
    return ok(issueOfflineToken(ctx, shop, { expiring: input.expiring !== false }));
  }
  return null;
}
