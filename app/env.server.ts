// The one place that reads process.env. Validated once, on first use; a missing or malformed
// setting stops startup with a message naming the variable and what it must look like.
import { z } from "zod";

const DEV_API_KEY = "lightbox-dev-key";
const DEV_API_SECRET = "lightbox-dev-secret";

const csv = (value: string) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    SHOPIFY_API_KEY: z.string().min(1, "must be the app's client id from the Partner Dashboard").optional(),
    SHOPIFY_API_SECRET: z.string().min(1, "must be the app's client secret").optional(),
    SHOPIFY_APP_URL: z
      .string()
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
      .string()
      .url("must be the R2 S3 endpoint, e.g. https://<account-id>.r2.cloudflarestorage.com")
      .optional(),
    R2_BUCKET: z.string().min(3, "must name the R2 bucket").optional(),
    R2_ACCESS_KEY_ID: z.string().min(1).optional(),
    R2_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    GEMINI_API_KEY: z.string().min(10, "must be a Google AI Studio API key").optional(),
    GEMINI_BASE_URL: z.string().url("must be a URL (only set it to point at a Gemini-compatible test server)").optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\/.+/, "must be a Redis URL like redis://127.0.0.1:6379 (leave it unset to run jobs in the app process)")
      .optional(),
    JOB_QUEUE_NAME: z.string().regex(/^[a-z0-9-]{1,64}$/, "must be lowercase letters, digits and dashes").default("lightbox-jobs"),
    JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    JOB_LEASE_MS: z.coerce.number().int().min(1_000).default(120_000),
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
    API_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: z.enum(["0", "1"]).default("0"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  })
  .superRefine((env, ctx) => {
    const r2 = ["R2_ENDPOINT", "R2_BUCKET", "R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY"] as const;
    if (r2.some((name) => env[name])) {
      for (const name of r2) {
        if (!env[name]) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [name],
            message: "is required when any R2_* variable is set (all four select Cloudflare R2 storage)",
          });
        }
      }
    }
    if (env.NODE_ENV !== "production") return;
    if (env.API_WEBHOOKS_ALLOW_PRIVATE_NETWORKS === "1") {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["API_WEBHOOKS_ALLOW_PRIVATE_NETWORKS"],
        message: "must not be 1 in production: it lets API clients make Lightbox call private networks",
      });
    }
    if (env.SHOPIFY_SIMULATOR_URL) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["SHOPIFY_SIMULATOR_URL"],
        message: "must not be set in production: it sends Shopify traffic to a local simulator",
      });
    }
    for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "ENCRYPTION_KEYS"] as const) {
      if (!env[name]) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
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
  /** Public API: requests per token per minute. */
  apiRateLimitPerMinute: number;
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
}>;

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty value (e.g. a copied .env.example line) means "not set".
  const given = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")} ${issue.message}`);
    throw new EnvError(`Lightbox cannot start: invalid configuration\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  return Object.freeze({
    nodeEnv: env.NODE_ENV,
    shopifyApiKey: env.SHOPIFY_API_KEY ?? DEV_API_KEY,
    shopifyApiSecret: env.SHOPIFY_API_SECRET ?? DEV_API_SECRET,
    appUrl: env.SHOPIFY_APP_URL ?? `http://localhost:${source.PORT ?? "3000"}`,
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
    apiRateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE,
    apiWebhooksAllowPrivateNetworks: env.API_WEBHOOKS_ALLOW_PRIVATE_NETWORKS === "1",
    redisUrl: env.REDIS_URL,
    jobQueueName: env.JOB_QUEUE_NAME,
    jobConcurrency: env.JOB_CONCURRENCY,
    jobLeaseMs: env.JOB_LEASE_MS,
    logLevel: env.LOG_LEVEL,
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
