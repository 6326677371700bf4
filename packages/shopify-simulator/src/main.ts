// CLI: node packages/shopify-simulator/src/main.ts (or `npm start -w @lightbox/shopify-simulator`)
//   SHOPIFY_SIMULATOR_PORT   port (default 4100)
//   SHOPIFY_SIMULATOR_HOST   interface (default 127.0.0.1)
//   SHOPIFY_APP_URL          where the app runs (iframe target, webhook receiver)
//   SHOPIFY_API_KEY / SHOPIFY_API_SECRET   the app's client id / secret
//   SHOPIFY_SIMULATOR_PUBLIC_URL           origin to put in CDN URLs (default the listen URL)
//   SHOPIFY_SIMULATOR_BUCKET_SIZE / SHOPIFY_SIMULATOR_RESTORE_RATE   rate limits
//   SHOPIFY_SIMULATOR_ACCESS_TOKEN  pre-issue this non-expiring offline token for the demo shop
import { DEFAULT_PORT, defaultSeed, startSimulator } from "./index.ts";
import type { SimulatorOptions } from "./index.ts";

const env = process.env;
const number = (value: string | undefined): number | undefined => (value && Number.isFinite(Number(value)) ? Number(value) : undefined);

const seed = defaultSeed();
const demo = seed[0];
if (env.SHOPIFY_SIMULATOR_ACCESS_TOKEN && demo) demo.accessToken = env.SHOPIFY_SIMULATOR_ACCESS_TOKEN;

const options: SimulatorOptions = {
  port: number(env.SHOPIFY_SIMULATOR_PORT) ?? DEFAULT_PORT,
  host: env.SHOPIFY_SIMULATOR_HOST ?? "127.0.0.1",
  seed,
  log: (line) => console.log(line),
};
if (env.SHOPIFY_APP_URL) options.appUrl = env.SHOPIFY_APP_URL;
if (env.SHOPIFY_API_KEY) options.apiKey = env.SHOPIFY_API_KEY;
if (env.SHOPIFY_API_SECRET) options.apiSecret = env.SHOPIFY_API_SECRET;
if (env.SHOPIFY_SIMULATOR_PUBLIC_URL) options.publicUrl = env.SHOPIFY_SIMULATOR_PUBLIC_URL;
const bucketSize = number(env.SHOPIFY_SIMULATOR_BUCKET_SIZE);
if (bucketSize !== undefined) options.bucketSize = bucketSize;
const restoreRate = number(env.SHOPIFY_SIMULATOR_RESTORE_RATE);
if (restoreRate !== undefined) options.restoreRate = restoreRate;

const sim = await startSimulator(options);
console.log(`Shopify simulator listening on ${sim.url}`);
for (const shop of sim.state.shops.values()) {
  console.log(`  ${shop.domain}: ${shop.products.size} products${options.appUrl ? `, admin ${sim.adminUrl(shop.domain)}` : ""}`);
}
if (!options.appUrl) console.log("  (no SHOPIFY_APP_URL: the admin page and webhooks are disabled)");

const shutdown = () => {
  void sim.stop().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
