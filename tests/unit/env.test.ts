import { describe, expect, it } from "vitest";

import { parseEnv } from "~/env.server";

const key = `k1:${Buffer.alloc(32, 1).toString("base64")}`;

const dev = { NODE_ENV: "development" };

describe("configuration", () => {
  it("starts on embedded defaults only with the explicit development switch", () => {
    const env = parseEnv(dev);
    expect(env.nodeEnv).toBe("development");
    expect(env.databaseUrl).toBeUndefined();
    expect(env.scopes).toEqual(["read_products", "write_products"]);
    expect(env.appUrl).toBe("http://localhost:3000");
    expect(env.shopifyApiSecret).toBe("lightbox-dev-secret");
  });

  it("GIVEN no NODE_ENV THEN it is production: no dev secret, no generated key, and every missing setting is named", () => {
    expect(() => parseEnv({})).toThrow(
      /SHOPIFY_API_KEY is required in production[\s\S]*SHOPIFY_API_SECRET is required[\s\S]*SHOPIFY_APP_URL is required[\s\S]*ENCRYPTION_KEYS is required[\s\S]*NODE_ENV is not set, which means production/,
    );
    // Nothing else selects the development defaults: a simulator URL or private webhooks are refused too.
    const production = { SHOPIFY_API_KEY: "id", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "https://lightbox.example.com", ENCRYPTION_KEYS: key };
    expect(parseEnv(production).nodeEnv).toBe("production");
    expect(parseEnv(production).host).toBe("0.0.0.0");
    expect(() => parseEnv({ ...production, SHOPIFY_SIMULATOR_URL: "http://127.0.0.1:4100" })).toThrow(/SHOPIFY_SIMULATOR_URL must not be set in production/);
    expect(() => parseEnv({ ...production, API_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: "1" })).toThrow(/API_WEBHOOKS_ALLOW_PRIVATE_NETWORKS must not be 1 in production/);
  });

  it("says which values NODE_ENV may take", () => {
    expect(() => parseEnv({ NODE_ENV: "dev" })).toThrow(/NODE_ENV must be production, development .* or test/);
  });

  it("names every missing production setting", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(
      /SHOPIFY_API_KEY is required[\s\S]*SHOPIFY_API_SECRET is required[\s\S]*SHOPIFY_APP_URL is required[\s\S]*ENCRYPTION_KEYS is required/,
    );
  });

  it("says what a malformed DATABASE_URL must look like", () => {
    expect(() => parseEnv({ ...dev, DATABASE_URL: "mysql://localhost/db" })).toThrow(
      /DATABASE_URL must be a PostgreSQL URL like postgresql:\/\//,
    );
  });

  it("says what ENCRYPTION_KEYS must look like", () => {
    expect(() => parseEnv({ ...dev, ENCRYPTION_KEYS: "k1:tooshort" })).toThrow(/ENCRYPTION_KEYS must be a comma-separated list/);
  });

  it("refuses scopes beyond read_products,write_products", () => {
    expect(() => parseEnv({ ...dev, SCOPES: "read_products,write_products,read_orders" })).toThrow(/SCOPES must only contain/);
  });

  it("accepts a complete production configuration", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "id",
      SHOPIFY_API_SECRET: "secret",
      SHOPIFY_APP_URL: "https://lightbox.example.com",
      ENCRYPTION_KEYS: key,
      DATABASE_URL: "postgresql://u:p@db:5432/lightbox",
    });
    expect(env.appUrl).toBe("https://lightbox.example.com");
  });
});

describe("pointing the app at the local Shopify simulator", () => {
  it("is off by default", () => {
    expect(parseEnv(dev).simulatorUrl).toBeUndefined();
  });

  it("accepts a loopback origin outside production", () => {
    expect(parseEnv({ ...dev, SHOPIFY_SIMULATOR_URL: "http://127.0.0.1:4100" }).simulatorUrl).toBe("http://127.0.0.1:4100");
  });

  it("refuses anything but a loopback origin", () => {
    expect(() => parseEnv({ ...dev, SHOPIFY_SIMULATOR_URL: "https://evil.example.com" })).toThrow(
      /SHOPIFY_SIMULATOR_URL must be the local Shopify simulator's origin/,
    );
  });

  it("can never be active in production", () => {
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        SHOPIFY_API_KEY: "id",
        SHOPIFY_API_SECRET: "secret",
        SHOPIFY_APP_URL: "https://lightbox.example.com",
        ENCRYPTION_KEYS: key,
        SHOPIFY_SIMULATOR_URL: "http://127.0.0.1:4100",
      }),
    ).toThrow(/SHOPIFY_SIMULATOR_URL must not be set in production/);
  });
});

describe("empty values", () => {
  it("treats an empty variable as unset (a copied .env.example)", () => {
    const env = parseEnv({ ...dev, DATABASE_URL: "", GEMINI_BASE_URL: "", R2_BUCKET: "", SHOPIFY_SIMULATOR_URL: "" });
    expect(env.databaseUrl).toBeUndefined();
    expect(env.r2).toBeUndefined();
  });
});
