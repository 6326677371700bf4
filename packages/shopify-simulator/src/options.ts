// Options of the simulator and their defaults.
import type { AppExtension } from "./extensions.ts";
import type { SeedShop } from "./seed.ts";

export interface SimulatorOptions {
  /** Port to listen on; 0 (default for the programmatic API) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** The app's client id (API key). */
  apiKey?: string;
  /** The app's client secret: signs session tokens, webhooks and admin HMACs. */
  apiSecret?: string;
  /** Where the app runs (iframe target, webhook receiver), e.g. http://127.0.0.1:3000. */
  appUrl?: string;
  /** Path inside the app the admin opens; default "/app". */
  appHome?: string;
  /** The app's handle in admin URLs (/store/<shop>/apps/<appHandle>); default "lightbox". */
  appHandle?: string;
  /** The app's name shown in the admin page; default "Lightbox". */
  appName?: string;
  /** Access scopes an install grants; default "read_products,write_products". */
  scopes?: string;
  /** GraphQL bucket size in points; default 2000 (what the Standard plan reports). */
  bucketSize?: number;
  /** GraphQL restore rate in points per second; default 100 (Standard plan). */
  restoreRate?: number;
  /** Single-query cost limit; default 1000. */
  maxQueryCost?: number;
  /** Shops to create at start and on reset; default: the demo shop. */
  seed?: SeedShop[];
  /** Webhook topic -> path on appUrl. */
  webhookPaths?: Record<string, string>;
  /** Media processing delays. */
  mediaDelays?: { uploadedMs?: number; processingMs?: number };
  /** How long a productReorderMedia job runs; default 150 ms. */
  jobDelayMs?: number;
  /** Delay before a billing status change's webhook is delivered; default 100 ms. */
  billingWebhookDelayMs?: number;
  /** Expiring offline access token lifetime; default 3600 s. */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime; default 90 days. */
  refreshTokenTtlSeconds?: number;
  /** Online access token lifetime; default 86399 s. */
  onlineTokenTtlSeconds?: number;
  /**
   * When an exchanged refresh token stops working. "replacement-used" (default, Shopify since
   * August 2026): it can be retried until the app uses its replacement (30 days at most).
   * "immediately": it is refused as soon as it has been exchanged once.
   */
  refreshTokenRetirement?: "replacement-used" | "immediately";
  /** Origin used in CDN/staged-upload URLs; default the simulator's own URL. */
  publicUrl?: string;
  /** Clock in epoch ms (tests may drive time); default Date.now. */
  clock?: () => number;
  /** Log sink; default none (the CLI logs to stdout). */
  log?: (line: string) => void;
  /** The app's built admin UI extensions the admin's Products pages offer (see loadAppExtensions). */
  extensions?: AppExtension[];
}

export interface ResolvedOptions {
  port: number;
  host: string;
  apiKey: string;
  apiSecret: string;
  appUrl: string | null;
  appHome: string;
  appHandle: string;
  appName: string;
  scopes: string[];
  bucketSize: number;
  restoreRate: number;
  maxQueryCost: number;
  seed: SeedShop[] | null;
  webhookPaths: Record<string, string>;
  mediaDelays: { uploadedMs: number; processingMs: number };
  jobDelayMs: number;
  billingWebhookDelayMs: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  onlineTokenTtlSeconds: number;
  refreshTokenRetirement: "replacement-used" | "immediately";
  publicUrl: string | null;
  clock: () => number;
  log: (line: string) => void;
  extensions: AppExtension[];
}

export const DEFAULT_API_KEY = "lightbox-dev-key";
export const DEFAULT_API_SECRET = "lightbox-dev-secret";
export const DEFAULT_PORT = 4100;

export const DEFAULT_WEBHOOK_PATHS: Record<string, string> = {
  "app/uninstalled": "/webhooks/app/uninstalled",
  "app/scopes_update": "/webhooks/app/scopes_update",
  "customers/data_request": "/webhooks/compliance",
  "customers/redact": "/webhooks/compliance",
  "shop/redact": "/webhooks/compliance",
  "app_subscriptions/update": "/webhooks/billing",
  "app_purchases_one_time/update": "/webhooks/billing",
};

export function resolveOptions(options: SimulatorOptions, defaultSeed: () => SeedShop[]): ResolvedOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    apiKey: options.apiKey ?? DEFAULT_API_KEY,
    apiSecret: options.apiSecret ?? DEFAULT_API_SECRET,
    appUrl: options.appUrl ? options.appUrl.replace(/\/+$/, "") : null,
    appHome: options.appHome ?? "/app",
    appHandle: options.appHandle ?? "lightbox",
    appName: options.appName ?? "Lightbox",
    scopes: (options.scopes ?? "read_products,write_products")
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
    bucketSize: options.bucketSize ?? 2000,
    restoreRate: options.restoreRate ?? 100,
    maxQueryCost: options.maxQueryCost ?? 1000,
    seed: options.seed ?? defaultSeed(),
    webhookPaths: { ...DEFAULT_WEBHOOK_PATHS, ...(options.webhookPaths ?? {}) },
    mediaDelays: { uploadedMs: options.mediaDelays?.uploadedMs ?? 100, processingMs: options.mediaDelays?.processingMs ?? 300 },
    jobDelayMs: options.jobDelayMs ?? 150,
    billingWebhookDelayMs: options.billingWebhookDelayMs ?? 100,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 90 * 24 * 3600,
    onlineTokenTtlSeconds: options.onlineTokenTtlSeconds ?? 86399,
    refreshTokenRetirement: options.refreshTokenRetirement ?? "replacement-used",
    publicUrl: options.publicUrl ? options.publicUrl.replace(/\/+$/, "") : null,
    clock: options.clock ?? Date.now,
    log: options.log ?? (() => undefined),
    extensions: options.extensions ?? [],
  };
}
