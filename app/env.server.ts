// The one place that reads process.env. Validated once, on first use; a missing or malformed
// setting stops startup with a message naming the variable and what it must look like.
// Fail closed (docs/decisions/0072-fail-closed-configuration.md): without NODE_ENV the app is in
// production. The development defaults (dev client id/secret, a generated encryption key, the
// local Shopify simulator, webhooks to private networks) need the explicit switch
// NODE_ENV=development (what `npm start` sets, through the simulator's stack) or NODE_ENV=test.
import { z } from "zod";

import { BUILTIN_LINEUP, IMAGE_MODELS, IMAGE_MODEL_IDS, type ImageModelId } from "~/generation/models";

const DEV_API_KEY = "lightbox-dev-key";
const DEV_API_SECRET = "lightbox-dev-secret";

const csv = (value: string) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

const isTableModel = (id: string): id is ImageModelId => Object.hasOwn(IMAGE_MODELS, id);
const modelList = IMAGE_MODEL_IDS.join(", ");
const modelId = () =>
  z
    .string()
    .trim()
    .refine(isTableModel, { error: (issue) => `names ${String(issue.input)}, which is not an image model Lightbox knows (app/generation/models.ts: ${modelList})` })
    .transform((id) => id as ImageModelId);

/** What production cannot do without; development falls back to local defaults for them. */
export const REQUIRED_IN_PRODUCTION = ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "ENCRYPTION_KEYS"] as const;

const schema = z
  .object({
    NODE_ENV: z
      .enum(["development", "production", "test"], {
        error: "must be production, development (the local defaults: npm start sets it) or test",
      })
      .default("production"),
    SHOPIFY_API_KEY: z.string().min(1, "must be the app's client id from the Partner Dashboard").optional(),
    SHOPIFY_API_SECRET: z.string().min(1, "must be the app's client secret").optional(),
    SHOPIFY_APP_URL: z
      .url("must be the public https URL the app is served from, e.g. https://lightbox.example.com")
      .optional(),
    SCOPES: z
      .string()
      .default("read_products,write_products")
      .refine(
        (value) => csv(value).every((scope) => ["read_products", "write_products"].includes(scope)),
        "must only contain read_products and write_products: Lightbox asks for nothing more",
      ),
    SHOP_CUSTOM_DOMAIN: z.string().optional(),
    DATABASE_URL: z
      .string()
      .regex(
        /^(postgres(ql)?:\/\/.+|memory:\/\/.*)$/,
        "must be a PostgreSQL URL like postgresql://user:pass@host:5432/db (leave it unset for the embedded PGlite database)",
      )
      .optional(),
    DATA_DIR: z.string().min(1).default(".data"),
    ENCRYPTION_KEYS: z
      .string()
      .regex(
        /^\s*[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=\s*(,\s*[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=\s*)*$/,
        'must be a comma-separated list of "<key-id>:<32 random bytes in base64>", newest first, e.g. "k2:$(openssl rand -base64 32)"',
      )
      .optional(),
    SHOPIFY_SIMULATOR_URL: z
      .string()
      .regex(
        /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/,
        "must be the local Shopify simulator's origin, e.g. http://127.0.0.1:4100 (development and tests only)",
      )
      .optional(),
    R2_ENDPOINT: z
      .url("must be the R2 S3 endpoint, e.g. https://<account-id>.r2.cloudflarestorage.com")
      .optional(),
    R2_BUCKET: z.string().min(3, "must name the R2 bucket").optional(),
    R2_ACCESS_KEY_ID: z.string().min(1).optional(),
    R2_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    GEMINI_API_KEY: z.string().min(10, "must be a Google AI Studio API key").optional(),
    GEMINI_BASE_URL: z.url("must be a URL (only set it to point at a Gemini-compatible test server)").optional(),
    GEMINI_MODELS: z
      .string()
      .default(BUILTIN_LINEUP.offered.join(","))
      .transform((value) => csv(value))
      .superRefine((ids, ctx) => {
        if (ids.length === 0) ctx.addIssue({ code: "custom", message: `must list at least one image model, e.g. ${BUILTIN_LINEUP.offered.join(",")}` });
        for (const id of ids) {
          if (!isTableModel(id)) ctx.addIssue({ code: "custom", message: `names ${id}, which is not an image model Lightbox knows (app/generation/models.ts: ${modelList})` });
        }
        const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
        if (twice.length > 0) ctx.addIssue({ code: "custom", message: `lists ${twice.join(", ")} more than once` });
      })
      .transform((ids) => ids as ImageModelId[]),
    GEMINI_DEFAULT_MODEL: modelId().optional(),
    GEMINI_PREMIUM_MODEL: modelId().optional(),
    GEMINI_IMAGES_PER_MINUTE: z.coerce.number({ error: "must be a whole number of images per minute" }).int().min(1).max(100_000).default(60),
    GEMINI_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(290_000).default(90_000),
    FIDELITY_CHECK: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
    FIDELITY_THRESHOLD: z.coerce.number({ error: "must be a whole number from 0 to 100" }).int().min(0).max(100).default(70),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\/.+/, "must be a Redis URL like redis://127.0.0.1:6379 (leave it unset to run jobs in the app process)")
      .optional(),
    JOB_QUEUE_NAME: z.string().regex(/^[a-z0-9-]{1,64}$/, "must be lowercase letters, digits and dashes").default("lightbox-jobs"),
    JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(16),
    JOB_LEASE_MS: z.coerce.number().int().min(1_000).default(120_000),
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
    API_IDEMPOTENCY_IN_FLIGHT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(300_000),
    API_SHOP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    API_AUTH_FAILURES_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
    TRUST_PROXY_HOPS: z.coerce.number({ error: "must be the number of proxies in front of the app (0 when clients connect directly)" }).int().min(0).max(10).default(0),
    JOBS_MAX_ACTIVE_PER_SHOP: z.coerce.number().int().min(1).max(1_000_000).default(100),
    ALT_TEXT_PER_SHOP_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(200),
    API_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: z.enum(["0", "1"]).default("0"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    PORT: z.coerce.number({ error: "must be a TCP port number" }).int().min(1).max(65_535).default(3000),
    HOST: z.string().min(1).optional(),
    LIGHTBOX_MIGRATIONS_DIR: z.string().min(1).default("prisma/migrations"),
  })
  .superRefine((env, ctx) => {
    const offered = env.GEMINI_MODELS;
    for (const name of ["GEMINI_DEFAULT_MODEL", "GEMINI_PREMIUM_MODEL"] as const) {
      const id = env[name];
      if (id && !offered.includes(id)) {
        ctx.addIssue({ code: "custom", path: [name], message: `is ${id}, which GEMINI_MODELS does not offer (${offered.join(", ")}): add it there or pick one of those` });
      }
    }
    if (!env.GEMINI_DEFAULT_MODEL && !offered.includes(BUILTIN_LINEUP.default) && offered.length > 0) {
      ctx.addIssue({ code: "custom", path: ["GEMINI_DEFAULT_MODEL"], message: `must be set when GEMINI_MODELS leaves out ${BUILTIN_LINEUP.default}: which of ${offered.join(", ")} does a generation get when none is chosen?` });
    }
    const r2 = ["R2_ENDPOINT", "R2_BUCKET", "R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY"] as const;
    if (r2.some((name) => env[name])) {
      for (const name of r2) {
        if (!env[name]) {
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: "is required when any R2_* variable is set (all four select Cloudflare R2 storage)",
          });
        }
      }
    }
    if (env.NODE_ENV !== "production") return;
    if (env.API_WEBHOOKS_ALLOW_PRIVATE_NETWORKS === "1") {
      ctx.addIssue({
        code: "custom",
        path: ["API_WEBHOOKS_ALLOW_PRIVATE_NETWORKS"],
        message: "must not be 1 in production: it lets API clients make Lightbox call private networks",
      });
    }
    if (env.SHOPIFY_SIMULATOR_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["SHOPIFY_SIMULATOR_URL"],
        message: "must not be set in production: it sends Shopify traffic to a local simulator",
      });
    }
    for (const name of REQUIRED_IN_PRODUCTION) {
      if (!env[name]) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: "is required in production (see .env.example)",
        });
      }
    }
  });

export type Env = Readonly<{
  nodeEnv: "development" | "production" | "test";
  shopifyApiKey: string;
  shopifyApiSecret: string;
  appUrl: string;
  scopes: string[];
  shopCustomDomain?: string;
  databaseUrl?: string;
  dataDir: string;
  /** Raw ENCRYPTION_KEYS; undefined means "use the local development key file". */
  encryptionKeys?: string;
  /** Cloudflare R2 (S3 API); unset = objects on local disk under DATA_DIR/objects. */
  r2?: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string };
  /** Lightbox's own Gemini key (generations cost credits); unset = offline compositor unless the shop has its own key. */
  geminiApiKey?: string;
  geminiBaseUrl?: string;
  /**
   * Images per minute Lightbox asks of one Gemini key (its own, and each shop's own key): the
   * quota the key's Google project has. 429s lower it further on their own (pace.server.ts).
   */
  geminiImagesPerMinute: number;
  /**
   * The image models this deployment offers (GEMINI_MODELS, in the pickers' order), the one a
   * generation gets when none is chosen, and the premium one; every id is in app/generation/models.ts.
   */
  imageModels: { offered: readonly ImageModelId[]; default: ImageModelId; premium: ImageModelId | undefined };
  /** Per-attempt timeout of a Gemini request. */
  geminiRequestTimeoutMs: number;
  /** Fidelity check after each generation (off: for every shop, whatever its setting). */
  fidelityCheck: boolean;
  /** A fidelity score below this flags the image (0-100). */
  fidelityThreshold: number;
  /** Public API: requests per token per minute. */
  apiRateLimitPerMinute: number;
  /** Public API: an Idempotency-Key still "in flight" after this long belongs to a request whose process died. */
  apiIdempotencyInFlightMs: number;
  /** Public API: requests per shop per minute, all its tokens together. */
  apiShopRateLimitPerMinute: number;
  /** Public API: failed authentications per client IP per minute before it is refused unverified. */
  apiAuthFailuresPerIpPerMinute: number;
  /** Proxies in front of the app whose X-Forwarded-For entries are trusted for the client IP. */
  trustProxyHops: number;
  /** Queued or running jobs a shop may have at once (generations, publishes, exports, ...). */
  jobsMaxActivePerShop: number;
  /** Gemini alt-text suggestions per shop per hour on Lightbox's key. */
  altTextPerShopPerHour: number;
  /** Dev/test only: API webhook URLs may point at private or loopback networks. */
  apiWebhooksAllowPrivateNetworks: boolean;
  /** Redis for BullMQ; unset = jobs run in the app process. */
  redisUrl?: string;
  /** BullMQ queue name (separate deployments sharing one Redis use different names). */
  jobQueueName: string;
  jobConcurrency: number;
  /** How long a running job may go without a heartbeat before another worker takes it over. */
  jobLeaseMs: number;
  /** Origin of the local Shopify simulator (development/tests only). */
  simulatorUrl?: string;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Where the web server listens. */
  port: number;
  host: string;
  /** The SQL migrations applied on connect (prisma/migrations, relative to the working directory). */
  migrationsDir: string;
}>;

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty value (e.g. a copied .env.example line) means "not set".
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")} ${issue.message}`);
    if (!present.NODE_ENV) {
      lines.push("  (NODE_ENV is not set, which means production. For the local defaults set NODE_ENV=development, as npm start does.)");
    }
    throw new EnvError(`Lightbox cannot start: invalid configuration\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  return Object.freeze({
    nodeEnv: env.NODE_ENV,
    shopifyApiKey: env.SHOPIFY_API_KEY ?? DEV_API_KEY,
    shopifyApiSecret: env.SHOPIFY_API_SECRET ?? DEV_API_SECRET,
    appUrl: env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT}`,
    scopes: csv(env.SCOPES),
    shopCustomDomain: env.SHOP_CUSTOM_DOMAIN,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    encryptionKeys: env.ENCRYPTION_KEYS,
    simulatorUrl: env.SHOPIFY_SIMULATOR_URL,
    r2:
      env.R2_ENDPOINT && env.R2_BUCKET && env.R2_ACCESS_KEY_ID && env.R2_SECRET_ACCESS_KEY
        ? {
            endpoint: env.R2_ENDPOINT,
            bucket: env.R2_BUCKET,
            accessKeyId: env.R2_ACCESS_KEY_ID,
            secretAccessKey: env.R2_SECRET_ACCESS_KEY,
          }
        : undefined,
    geminiApiKey: env.GEMINI_API_KEY,
    geminiBaseUrl: env.GEMINI_BASE_URL,
    imageModels: Object.freeze({
      offered: Object.freeze([...env.GEMINI_MODELS]),
      default: env.GEMINI_DEFAULT_MODEL ?? BUILTIN_LINEUP.default,
      // Unset: the built-in premium model if offered, else none (the lineup then has no premium tier).
      premium: env.GEMINI_PREMIUM_MODEL ?? (env.GEMINI_MODELS.includes(BUILTIN_LINEUP.premium) ? BUILTIN_LINEUP.premium : undefined),
    }),
    geminiImagesPerMinute: env.GEMINI_IMAGES_PER_MINUTE,
    geminiRequestTimeoutMs: env.GEMINI_REQUEST_TIMEOUT_MS,
    fidelityCheck: env.FIDELITY_CHECK === "on",
    fidelityThreshold: env.FIDELITY_THRESHOLD,
    apiRateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE,
    apiIdempotencyInFlightMs: env.API_IDEMPOTENCY_IN_FLIGHT_MS,
    apiShopRateLimitPerMinute: env.API_SHOP_RATE_LIMIT_PER_MINUTE,
    apiAuthFailuresPerIpPerMinute: env.API_AUTH_FAILURES_PER_IP_PER_MINUTE,
    trustProxyHops: env.TRUST_PROXY_HOPS,
    jobsMaxActivePerShop: env.JOBS_MAX_ACTIVE_PER_SHOP,
    altTextPerShopPerHour: env.ALT_TEXT_PER_SHOP_PER_HOUR,
    apiWebhooksAllowPrivateNetworks: env.API_WEBHOOKS_ALLOW_PRIVATE_NETWORKS === "1",
    redisUrl: env.REDIS_URL,
    jobQueueName: env.JOB_QUEUE_NAME,
    jobConcurrency: env.JOB_CONCURRENCY,
    jobLeaseMs: env.JOB_LEASE_MS,
    logLevel: env.LOG_LEVEL,
    port: env.PORT,
    host: env.HOST ?? (env.NODE_ENV === "production" ? "0.0.0.0" : "127.0.0.1"),
    migrationsDir: env.LIGHTBOX_MIGRATIONS_DIR,
  });
}

let cached: Env | undefined;

/** The validated environment of this process. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests: read process.env again on the next env() (e.g. to play a worker started without a key). */
export function reloadEnv(): void {
  cached = undefined;
}
