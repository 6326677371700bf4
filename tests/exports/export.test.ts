// Exports end to end below the edges (the API and admin tests drive the same verbs): chosen
// images, a filter, everything, and all data; storage failing mid-export; expiry; bad input.
// On local disk and on R2 (s3rver), with the app's real job runner.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";

import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ingestAsset } from "~/assets/ingest-asset.server";
import { db } from "~/db.server";
import { exportObjectKey } from "~/exports/build-export.server";
import { expireExports } from "~/exports/expire-exports.server";
import { exportView, getExport } from "~/exports/export-view.server";
import { requestExport } from "~/exports/request-export.server";
import type { Export } from "~/generated/prisma/client";
import { createEmbeddedQueue } from "~/jobs/embedded-queue.server";
import { setJobQueue } from "~/jobs/queue.server";
import { createR2Client } from "~/storage/r2.server";
import { createStorage } from "~/storage/index.server";
import { diskStorageConfig, setAppStorage } from "~/storage/from-env.server";
import { StorageError, type ObjectStorage } from "~/storage/types";
import { createApiToken } from "~/tokens/create-token.server";

import { installShop } from "../helpers/admin";
import { startS3rver } from "../storage/support/s3rver-harness";
import { readZip } from "./support/unzip";

const photo = readFileSync(path.resolve(__dirname, "../fixtures/images/valid-photo.jpg"));
const queue = createEmbeddedQueue(db, { pollMs: 20, concurrency: 2 });

type Backend = { storage: ObjectStorage; keys(prefix: string): Promise<string[]>; close(): Promise<void> };

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    "disk",
    async () => {
      const root = mkdtempSync(path.join(tmpdir(), "lightbox-exports-"));
      const storage = createStorage({ ...diskStorageConfig(), root });
      const { readdirSync, statSync } = await import("node:fs");
      const walk = (dir: string): string[] => {
        try {
          if (statSync(dir).isFile()) return [dir];
          return readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? walk(path.join(dir, name)) : [path.join(dir, name)]));
        } catch {
          return [];
        }
      };
      return {
        storage,
        keys: async (prefix) => walk(path.join(root, prefix)).map((file) => path.relative(root, file)),
        close: async () => rmSync(root, { recursive: true, force: true }),
      };
    },
  ],
  [
    "r2 (s3rver)",
    async () => {
      const h = await startS3rver("exports-test");
      const config = { kind: "r2" as const, endpoint: h.endpoint, bucket: h.bucket, accessKeyId: h.accessKeyId, secretAccessKey: h.secretAccessKey, forcePathStyle: true };
      const client = createR2Client(config);
      return {
        storage: createStorage(config),
        async keys(prefix) {
          const out = await client.send(new ListObjectsV2Command({ Bucket: h.bucket, Prefix: prefix }));
          return (out.Contents ?? []).map((o) => o.Key!);
        },
        close: () => h.close(),
      };
    },
  ],
];

beforeAll(() => setJobQueue(queue));
afterAll(async () => {
  await queue.stop();
  setJobQueue(undefined);
  setAppStorage(undefined);
});

/** Runs queued jobs until none are due; retries scheduled later are brought forward. */
async function settleJobs() {
  for (let i = 0; i < 8; i++) {
    await queue.drain();
    const waiting = await db.job.updateMany({ where: { status: "queued" }, data: { runAt: new Date(Date.now() - 1) } });
    if (waiting.count === 0) return;
  }
}

let shade = 0;
async function distinctPhoto() {
  shade = (shade + 29) % 250;
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: shade, g: 120, b: 200 - (shade % 100) } } }).jpeg().toBuffer();
}

describe.each(backends)("exports on %s storage", (_name, make) => {
  let backend: Backend;
  let shopId = "";
  let domain = "";
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    backend = await make();
    setAppStorage(backend.storage);
    domain = `exports-${_name.replace(/\W+/g, "-")}.myshopify.com`;
    shopId = (await installShop(domain)).id;
    const storage = backend.storage;
    const upload = await ingestAsset({ db, storage, shopId, kind: "upload", bytes: photo, filename: "mug on table.jpg", productId: "gid://shopify/Product/8012345678" });
    const other = await ingestAsset({ db, storage, shopId, kind: "upload", bytes: await distinctPhoto(), filename: "second.jpg" });
    const generation = await db.generation.create({
      data: {
        shopId,
        provider: "offline",
        model: "gemini-3.1-flash-image",
        presetId: "white-studio",
        prompt: "A clean white studio shot of the mug",
        aspectRatio: "4:5",
        resolution: "1K",
        variants: 1,
        sourceAssetIds: [upload.asset.id],
        referenceAssetIds: [],
        productId: "gid://shopify/Product/8012345678",
        status: "succeeded",
        startedAt: new Date(),
        finishedAt: new Date(),
      },
    });
    const generated = await ingestAsset({
      db,
      storage,
      shopId,
      kind: "generated",
      bytes: await distinctPhoto(),
      generation: { id: generation.id, variantIndex: 0 },
      provenance: { creatorTool: "Lightbox test" },
      productId: "gid://shopify/Product/8012345678",
    });
    await db.publication.create({
      data: { shopId, productId: "gid://shopify/Product/8012345678", assetId: generated.asset.id, status: "ready", mediaId: "gid://shopify/MediaImage/1", altText: "White mug on white" },
    });
    Object.assign(ids, { upload: upload.asset.id, other: other.asset.id, generated: generated.asset.id, generation: generation.id });
  });
  afterAll(async () => {
    await backend?.close();
  });

  async function finished(row: Export) {
    await settleJobs();
    return getExport(db, shopId, row.id);
  }
  async function archive(row: Export) {
    const object = await backend.storage.get(row.objectKey!);
    expect(object).not.toBeNull();
    return readZip(await buffer(object!.stream));
  }
  const manifestOf = (zip: ReturnType<typeof readZip>) => JSON.parse(zip.entries.find((e) => e.name === "manifest.json")!.data.toString("utf8"));

  it("GIVEN chosen images THEN the ZIP holds exactly their originals, byte for byte, and a manifest of how each was made and published", async () => {
    const row = await finished(await requestExport(db, { shopId, scope: "library", selection: { assetIds: [ids.generated!, ids.upload!] }, requestedVia: "admin" }));
    expect(row).toMatchObject({ status: "ready", progress: 100, itemCount: 2 });
    const zip = await archive(row);
    expect(zip.entries.map((e) => e.name).sort()).toEqual([`generated/${ids.generated}.jpg`, "manifest.json", `uploads/${ids.upload}.jpg`]);
    const stored = await db.asset.findUniqueOrThrow({ where: { id: ids.upload! } });
    const original = await buffer((await backend.storage.get(stored.originalKey))!.stream);
    expect(zip.entries.find((e) => e.name === `uploads/${ids.upload}.jpg`)!.data.equals(original)).toBe(true);

    const manifest = manifestOf(zip);
    expect(manifest).toMatchObject({ format: "lightbox-export/1", shop: domain, scope: "library", images: 2, missing_images: 0 });
    const generated = manifest.items.find((item: { id: string }) => item.id === ids.generated);
    expect(generated).toMatchObject({
      file: `generated/${ids.generated}.jpg`,
      kind: "generated",
      product_id: "gid://shopify/Product/8012345678",
      generation: {
        id: ids.generation,
        prompt: "A clean white studio shot of the mug",
        preset_id: "white-studio",
        model: "gemini-3.1-flash-image",
        parameters: { aspect_ratio: "4:5", resolution: "1K", variants: 1 },
        sources: [{ asset_id: ids.upload, file: `uploads/${ids.upload}.jpg` }],
        variant_index: 0,
        created_at: expect.any(String),
        finished_at: expect.any(String),
      },
      publications: [{ product_id: "gid://shopify/Product/8012345678", media_id: "gid://shopify/MediaImage/1", status: "ready", alt_text: "White mug on white" }],
    });
    expect(manifest.items.find((item: { id: string }) => item.id === ids.upload)).toMatchObject({ filename: "mug on table.jpg", generation: null, publications: [] });

    // The download link works for a while, names the file, and never outlives the archive.
    const view = await exportView(backend.storage, row, 900);
    expect(view.download?.url).toMatch(/^https?:\/\//);
    expect(Date.parse(view.download!.expiresAt) - Date.now()).toBeLessThanOrEqual(900_000);
    expect(await exportView(backend.storage, row, 900, new Date(row.expiresAt!.getTime() - 10_000)).then((v) => Date.parse(v.download!.expiresAt))).toBe(row.expiresAt!.getTime());
  });

  it("GIVEN a filter or nothing chosen THEN the ZIP holds the matching images, or all of them", async () => {
    const uploads = await finished(await requestExport(db, { shopId, scope: "library", selection: { kind: "upload" }, requestedVia: "api" }));
    expect((await archive(uploads)).entries.map((e) => e.name).filter((n) => n !== "manifest.json").sort()).toEqual([`uploads/${ids.other}.jpg`, `uploads/${ids.upload}.jpg`].sort());
    const product = await finished(await requestExport(db, { shopId, scope: "library", selection: { productId: "8012345678" }, requestedVia: "api" }));
    expect(product.itemCount).toBe(2);
    const everything = await finished(await requestExport(db, { shopId, scope: "library", requestedVia: "admin" }));
    expect(everything.itemCount).toBe(3);
  });

  it("GIVEN 'all my data' THEN the ZIP also has the generations, publications, ledger, token metadata and request log, and no secret", async () => {
    const { token, plaintext } = await createApiToken(db, { shopId, name: "Nightly sync", scopes: ["read"] });
    await db.apiRequestLog.create({ data: { shopId, tokenId: token.id, method: "GET", route: "/api/v1/me", status: 200, durationMs: 4, ip: "203.0.113.9" } });
    const row = await finished(await requestExport(db, { shopId, scope: "all_data", requestedVia: "admin" }));
    const zip = await archive(row);
    const names = zip.entries.map((e) => e.name);
    for (const file of ["manifest.json", "shop.json", "generations.json", "publications.json", "credit-ledger.json", "api-tokens.json", "request-log.jsonl"]) expect(names).toContain(file);
    const read = (name: string) => zip.entries.find((e) => e.name === name)!.data.toString("utf8");
    expect(JSON.parse(read("generations.json"))[0]).toMatchObject({ id: ids.generation, prompt: "A clean white studio shot of the mug" });
    expect(JSON.parse(read("credit-ledger.json"))[0]).toMatchObject({ kind: "grant", reason: "Free trial credits" });
    expect(JSON.parse(read("api-tokens.json"))).toEqual([expect.objectContaining({ id: token.id, name: "Nightly sync", prefix: plaintext.slice(0, 8), scopes: ["read"] })]);
    expect(JSON.parse(read("request-log.jsonl").trim().split("\n")[0]!)).toMatchObject({ route: "/api/v1/me", status: 200, ip: "203.0.113.9" });
    const everything = zip.entries.map((e) => e.data.toString("latin1")).join("\n");
    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(everything).not.toContain(plaintext);
    expect(everything).not.toContain(stored.hash.split(":")[1]);
    expect(everything).not.toContain("enc:v1:");
  });

  it("GIVEN storage failing in the middle of an export THEN nothing is left half-written, the job retries, and the export is ready once storage is back", async () => {
    let failing = true;
    const real = backend.storage;
    let reads = 0;
    setAppStorage({
      ...real,
      get: async (key) => {
        reads += 1;
        if (failing && reads === 2) throw new StorageError("storage unavailable (test)");
        return real.get(key);
      },
    });
    try {
      const row = await requestExport(db, { shopId, scope: "library", requestedVia: "api" });
      await queue.drain();
      const afterFailure = await getExport(db, shopId, row.id);
      expect(afterFailure.status).toBe("running"); // its job is waiting to retry
      expect(await backend.keys(exportObjectKey(shopId, row.id))).toEqual([]);
      expect((await db.job.findUniqueOrThrow({ where: { id: row.jobId! } })).status).toBe("queued");
      failing = false;
      const done = await finished(row);
      expect(done).toMatchObject({ status: "ready", itemCount: 3 });
      expect((await archive(done)).entries).toHaveLength(4);
    } finally {
      setAppStorage(real);
    }
  });

  it("GIVEN an archive past its 24 hours THEN it is deleted and the export shows no link", async () => {
    const row = await finished(await requestExport(db, { shopId, scope: "library", selection: { assetIds: [ids.upload!] }, requestedVia: "api" }));
    expect(await backend.keys(row.objectKey!)).toHaveLength(1);
    expect((await expireExports(db, backend.storage, new Date(Date.now() + 23 * 3_600_000))).expired).toBe(0);
    await expireExports(db, backend.storage, new Date(Date.now() + 25 * 3_600_000));
    const expired = await getExport(db, shopId, row.id);
    expect(expired.status).toBe("expired");
    expect(await backend.keys(row.objectKey!)).toEqual([]);
    expect((await exportView(backend.storage, expired, 900)).download).toBeNull();
  });

  it("GIVEN bad input THEN a message says what to fix, and no export or job is written", async () => {
    const before = { exports: await db.export.count({ where: { shopId } }), jobs: await db.job.count({ where: { shopId } }) };
    const other = await installShop(`exports-other-${_name.replace(/\W+/g, "-")}.myshopify.com`);
    const foreign = await ingestAsset({ db, storage: backend.storage, shopId: other.id, kind: "upload", bytes: photo });
    await expect(requestExport(db, { shopId, scope: "library", selection: { assetIds: [ids.upload!, foreign.asset.id] }, requestedVia: "api" })).rejects.toMatchObject({
      status: 404,
      message: expect.stringMatching(/not found/),
    });
    await expect(requestExport(db, { shopId, scope: "library", selection: { assetIds: [ids.upload!], kind: "upload" }, requestedVia: "api" })).rejects.toMatchObject({ status: 422 });
    await expect(requestExport(db, { shopId, scope: "all_data", selection: { kind: "upload" }, requestedVia: "api" })).rejects.toMatchObject({ status: 422 });
    expect({ exports: await db.export.count({ where: { shopId } }), jobs: await db.job.count({ where: { shopId } }) }).toEqual(before);
  });
});
