// Everything the simulator remembers: shops, their products and media, issued tokens, jobs,
// rate-limit buckets, files on its CDN, delivered webhooks and counters for benchmarks.
import { randomBytes, randomUUID } from "node:crypto";
import { LeakyBucket } from "./bucket.ts";
import type { GraphqlLogEntry } from "./graphql/handler.ts";

export type MediaStatus = "UPLOADED" | "PROCESSING" | "READY" | "FAILED";
export type ProductStatus = "ACTIVE" | "DRAFT" | "ARCHIVED" | "UNLISTED";

export interface SimMediaError {
  code: string;
  message: string;
  details: string | null;
}

export interface SimImage {
  id: number;
  /** Path on the simulator's CDN, e.g. /cdn/shops/lightbox-demo/files/mug.jpg */
  path: string;
  width: number;
  height: number;
}

export interface SimMedia {
  id: number;
  productId: number | null;
  alt: string;
  status: MediaStatus;
  originalSource: string;
  filename: string | null;
  mimeType: string | null;
  fileSize: number | null;
  image: SimImage | null;
  errors: SimMediaError[];
  createdAt: string;
  updatedAt: string;
  /** Bumped whenever processing restarts, so a stale pipeline run can tell it lost. */
  generation: number;
}

export interface SimProduct {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  descriptionHtml: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  /** Media ids in gallery order. */
  mediaIds: number[];
}

export type SubscriptionStatus = "PENDING" | "ACTIVE" | "DECLINED" | "EXPIRED" | "CANCELLED" | "FROZEN";
export type PurchaseStatus = "PENDING" | "ACTIVE" | "DECLINED" | "EXPIRED";
export type BillingInterval = "EVERY_30_DAYS" | "ANNUAL";

export interface SimMoney {
  amount: string;
  currencyCode: string;
}

/** An app subscription (Billing API), billed every interval once approved. */
export interface SimSubscription {
  id: number;
  lineItemId: number;
  name: string;
  status: SubscriptionStatus;
  test: boolean;
  returnUrl: string;
  price: SimMoney;
  interval: BillingInterval;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms; set while ACTIVE (kept aside while FROZEN). */
  currentPeriodEnd: number | null;
  frozenPeriodEnd: number | null;
}

/** A one-time app purchase (Billing API). */
export interface SimPurchase {
  id: number;
  name: string;
  status: PurchaseStatus;
  test: boolean;
  returnUrl: string;
  price: SimMoney;
  createdAt: number;
  updatedAt: number;
}

export interface SimShop {
  id: number;
  domain: string;
  handle: string;
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  planDisplayName: string;
  partnerDevelopment: boolean;
  shopifyPlus: boolean;
  ownerName: string;
  ownerUserId: number;
  createdAt: string;
  installed: boolean;
  grantedScopes: string[];
  products: Map<number, SimProduct>;
  media: Map<number, SimMedia>;
  subscriptions: Map<number, SimSubscription>;
  purchases: Map<number, SimPurchase>;
}

export interface AccessTokenRecord {
  token: string;
  shop: string;
  kind: "offline" | "online";
  scopes: string[];
  /** Epoch ms; null for a non-expiring offline token. */
  expiresAt: number | null;
  userId: number | null;
  revoked: boolean;
  /** The refresh token issued together with this access token, if any. */
  refreshToken: string | null;
}

export interface RefreshTokenRecord {
  token: string;
  shop: string;
  scopes: string[];
  expiresAt: number;
  /** First time it was exchanged (epoch ms), null while unused. */
  firstUsedAt: number | null;
  /** The refresh token it was exchanged for most recently. */
  replacedBy: string | null;
  /** The refresh token this one replaced. */
  replaces: string | null;
  retired: boolean;
}

export interface SimJob {
  id: string;
  shop: string;
  done: boolean;
}

export interface StoredFile {
  body: Buffer;
  contentType: string;
}

/** A file the CDN renders on first request (seeded product photos). */
export interface RenderedFile {
  render: () => Promise<StoredFile>;
}

export interface DeliveredWebhook {
  shop: string;
  topic: string;
  url: string;
  webhookId: string;
  eventId: string;
  status: number | null;
  error: string | null;
  at: string;
}

export interface SimCounters {
  graphqlRequests: number;
  graphqlErrors: number;
  validationErrors: number;
  throttled: number;
  maxCostExceeded: number;
  accessDenied: number;
  unauthorized: number;
  pointsSpent: number;
  tokenExchanges: number;
  tokenRefreshes: number;
  tokenErrors: number;
  mediaCreated: number;
  mediaReady: number;
  mediaFailed: number;
  jobsCreated: number;
  webhooksDelivered: number;
  webhookFailures: number;
  /** Admin API requests answered with an injected HTTP error (chaos tests). */
  faultsInjected: number;
}

export function emptyCounters(): SimCounters {
  return {
    graphqlRequests: 0,
    graphqlErrors: 0,
    validationErrors: 0,
    throttled: 0,
    maxCostExceeded: 0,
    accessDenied: 0,
    unauthorized: 0,
    pointsSpent: 0,
    tokenExchanges: 0,
    tokenRefreshes: 0,
    tokenErrors: 0,
    mediaCreated: 0,
    mediaReady: 0,
    mediaFailed: 0,
    jobsCreated: 0,
    webhooksDelivered: 0,
    webhookFailures: 0,
    faultsInjected: 0,
  };
}

/** An injected Admin API answer: 429 (with Retry-After) or a 5xx, as Shopify's edge sends them. */
export interface AdminFault {
  status: 429 | 500 | 502 | 503 | 504;
  retryAfterSeconds?: number;
}

export class SimulatorState {
  shops = new Map<string, SimShop>();
  accessTokens = new Map<string, AccessTokenRecord>();
  refreshTokens = new Map<string, RefreshTokenRecord>();
  jobs = new Map<string, SimJob>();
  buckets = new Map<string, LeakyBucket>();
  /** CDN and staged-upload files by path. */
  files = new Map<string, StoredFile | RenderedFile>();
  webhooks: DeliveredWebhook[] = [];
  /** The last GraphQL requests (at most 2000): what the app asked, what it cost. */
  graphqlLog: GraphqlLogEntry[] = [];
  counters: SimCounters = emptyCounters();
  /**
   * Answers the next Admin API requests (GraphQL and token requests) get instead of being served,
   * in order: an outage or rate limiting as Shopify's front end answers it (chaos tests).
   */
  adminFaults: AdminFault[] = [];
  /** Timers of media processing and jobs, cleared on reset/stop. */
  timers = new Set<NodeJS.Timeout>();
  /** Added to the clock option: advanceClock() moves simulated time on (billing renewals). */
  clockOffsetMs = 0;
  private nextIds = new Map<string, number>();

  /** Numeric ids per kind, Shopify-like magnitudes (Product/7000000001 ...). */
  nextId(kind: "Shop" | "Product" | "Media" | "Image" | "Operation" | "User" | "AppSubscription" | "AppPurchaseOneTime" | "LineItem"): number {
    const base: Record<string, number> = {
      AppSubscription: 27000000001,
      AppPurchaseOneTime: 28000000001,
      LineItem: 29000000001,
      Shop: 60000000001,
      Product: 7000000001,
      Media: 30000000001,
      Image: 40000000001,
      Operation: 1000001,
      User: 90000001,
    };
    const next = this.nextIds.get(kind) ?? base[kind] ?? 1;
    this.nextIds.set(kind, next + 1);
    return next;
  }

  shop(domain: string): SimShop | undefined {
    return this.shops.get(normalizeShopDomain(domain));
  }

  shopByHandle(handle: string): SimShop | undefined {
    for (const shop of this.shops.values()) if (shop.handle === handle) return shop;
    return undefined;
  }

  bucket(shop: string, apiKey: string, maximum: number, restoreRate: number, now: number): LeakyBucket {
    const key = `${shop}|${apiKey}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new LeakyBucket(maximum, restoreRate, now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  schedule(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref?.();
    this.timers.add(timer);
  }

  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Forget everything (shops are re-seeded by the caller). */
  clear(): void {
    this.clearTimers();
    this.shops.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.jobs.clear();
    this.buckets.clear();
    this.files.clear();
    this.webhooks = [];
    this.graphqlLog = [];
    this.counters = emptyCounters();
    this.clockOffsetMs = 0;
    this.adminFaults = [];
    this.nextIds.clear();
  }
}

/** "Lightbox-Demo.myshopify.com:443" -> "lightbox-demo.myshopify.com"; a bare handle gets the suffix. */
export function normalizeShopDomain(input: string): string {
  const host = input.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/[/:].*$/, "");
  return host.includes(".") ? host : `${host}.myshopify.com`;
}

export function shopHandle(domain: string): string {
  return normalizeShopDomain(domain).replace(/\.myshopify\.com$/, "");
}

export const gid = (type: string, id: number | string): string => `gid://shopify/${type}/${id}`;

/** "gid://shopify/Product/123" -> { type: "Product", id: 123 }; plain numbers are accepted too. */
export function parseGid(value: unknown): { type: string; id: number } | null {
  if (typeof value === "number" && Number.isInteger(value)) return { type: "", id: value };
  if (typeof value !== "string") return null;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value.trim());
  if (match) return { type: match[1] ?? "", id: Number(match[2]) };
  if (/^\d+$/.test(value.trim())) return { type: "", id: Number(value) };
  return null;
}

export function token(prefix: string): string {
  return `${prefix}${randomBytes(16).toString("hex")}`;
}

export { randomUUID };

export function isoNow(now: number = Date.now()): string {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
}
