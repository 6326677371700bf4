// Publishing tests run the app's real modules (jobs, library admin client, storage, route for
// /files) against the local Shopify simulator: the simulator downloads each presigned original
// from a small HTTP server that answers with the app's own files.$ route.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";

import { startSimulator, type RunningSimulator, type SimulatorOptions } from "@lightbox/shopify-simulator";
import { Session } from "@shopify/shopify-api";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import sharp from "sharp";
import { getGlobalDispatcher, setGlobalDispatcher } from "undici";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { db } from "~/db.server";
import { reloadEnv } from "~/env.server";
import { routeShopifyToSimulator } from "~/dev/shopify-simulator.server";
import { createEmbeddedQueue, type EmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { loader as filesLoader } from "~/routes/files.$";
import { resetPacing } from "~/shopify-admin/paced-client.server";
import { connectAdminClients, sessionStorage } from "~/shopify.server";
import { registerShop } from "~/shops/register-shop.server";
import { createStorage } from "~/storage/index.server";
import { diskStorageConfig, setAppStorage } from "~/storage/from-env.server";
import type { ObjectStorage } from "~/storage/types";

export const SHOP = "lightbox-demo.myshopify.com";

export type PublishHarness = {
  sim: RunningSimulator;
  storage: ObjectStorage;
  queue: EmbeddedQueue;
  filesUrl: string;
  root: string;
  stop(): Promise<void>;
};

/** Serves GET /files/* with the app's route loader (what Shopify downloads originals from). */
async function startFilesServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method });
    filesLoader({ request, params: {}, context: {} })
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body) Readable.fromWeb(response.body as never).pipe(res);
        else res.end();
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export async function startHarness(options: SimulatorOptions = {}, queueOptions: { concurrency?: number } = {}): Promise<PublishHarness> {
  const previous = getGlobalDispatcher();
  const root = mkdtempSync(path.join(tmpdir(), "lightbox-publish-"));
  const files = await startFilesServer();
  const storage = createStorage({ ...diskStorageConfig(), root, publicBaseUrl: `${files.url}/files` });
  setAppStorage(storage);
  const sim = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET_KEY, appUrl: APP_URL, mediaDelays: { uploadedMs: 30, processingMs: 60 }, jobDelayMs: 40, ...options });
  routeShopifyToSimulator(sim.url);
  // Product photos come from the simulator's CDN, which the app accepts only when the simulator
  // is configured (app/products/fetch-product-image.server.ts), as in development.
  process.env.SHOPIFY_SIMULATOR_URL = sim.url;
  reloadEnv();
  connectAdminClients();
  resetPacing();
  const queue = createEmbeddedQueue(db, { pollMs: 20, concurrency: queueOptions.concurrency ?? 4 });
  setJobQueue(queue);
  return {
    sim,
    storage,
    queue,
    filesUrl: files.url,
    root,
    async stop() {
      await queue.stop();
      setJobQueue(undefined);
      delete process.env.SHOPIFY_SIMULATOR_URL;
      reloadEnv();
      setAppStorage(undefined);
      setGlobalDispatcher(previous);
      await sim.stop();
      await new Promise<void>((resolve) => {
        files.server.close(() => resolve());
        files.server.closeAllConnections();
      });
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The shop installed: Shop row and an offline session holding a token the simulator issued. */
export async function installShop(sim: RunningSimulator, domain = SHOP) {
  const token = sim.issueAccessToken(domain, { expiring: false });
  await sessionStorage.storeSession(
    new Session({ id: `offline_${domain}`, shop: domain, state: "installed", isOnline: false, scope: token.scope, accessToken: token.access_token }),
  );
  return registerShop(db, domain, { name: sim.shop(domain).name });
}

let shade = 0;
/** A distinct studio-like JPEG (each call different pixels), stored as a Lightbox asset for the product. */
export async function makeAsset(storage: ObjectStorage, shopId: string, productId: string, kind: "generated" | "upload" = "generated") {
  shade = (shade + 37) % 200;
  const bytes = await sharp({ create: { width: 640, height: 800, channels: 3, background: { r: 230, g: 220 - (shade % 60), b: 200 + (shade % 50) } } })
    .composite([{ input: Buffer.from(`<svg width="640" height="800"><circle cx="320" cy="420" r="${120 + shade / 4}" fill="rgb(${shade},80,120)"/></svg>`) }])
    .jpeg({ quality: 85 })
    .toBuffer();
  const { asset } = await ingestAsset({ db, storage, shopId, kind, bytes, declaredType: "image/jpeg", filename: `studio-${shade}.jpg`, productId });
  return asset;
}

export type SimGalleryItem = { id: string; alt: string; status: string };

/** The product's gallery straight from the simulator's state (what Shopify holds). */
export function simGallery(sim: RunningSimulator, productId: string, domain = SHOP): SimGalleryItem[] {
  const shop = sim.shop(domain);
  const product = shop.products.get(Number(productId.split("/").pop()));
  if (!product) throw new Error(`no product ${productId}`);
  return product.mediaIds.map((id) => {
    const media = shop.media.get(id)!;
    return { id: `gid://shopify/MediaImage/${id}`, alt: media.alt, status: media.status };
  });
}

export function productIds(sim: RunningSimulator, domain = SHOP): string[] {
  return [...sim.shop(domain).products.values()].map((product) => `gid://shopify/Product/${product.id}`);
}

/** Runs queued jobs until none are due; retries scheduled later are brought forward. */
export async function settleJobs(queue: EmbeddedQueue, rounds = 6) {
  for (let i = 0; i < rounds; i++) {
    await queue.drain();
    const waiting = await db.job.updateMany({ where: { status: "queued" }, data: { runAt: new Date(Date.now() - 1) } });
    if (waiting.count === 0) return;
  }
}
