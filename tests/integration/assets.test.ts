import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { action as upload } from "~/routes/app.uploads";
import { action as deleteAction, loader as detail } from "~/routes/app.library.$assetId";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { createStorage } from "~/storage/index.server";
import { diskStorageConfig, setAppStorage } from "~/storage/from-env.server";
import { createR2Client } from "~/storage/r2.server";
import type { ObjectStorage } from "~/storage/types";

import { adminRequest, installShop, routeArgs, settle } from "../helpers/admin";
import { webhookRequest } from "../helpers/webhooks";
import { startS3rver, type S3rverHarness } from "../storage/support/s3rver-harness";

const CORPUS = path.resolve(__dirname, "../fixtures/images");
const fixture = (name: string) => readFileSync(path.join(CORPUS, name));

type Backend = { storage: ObjectStorage; count(prefix: string): Promise<number>; close(): Promise<void> };

function walk(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
  } catch {
    return [];
  }
}

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    "disk",
    async () => {
      const root = mkdtempSync(path.join(tmpdir(), "lightbox-assets-"));
      const storage = createStorage({ ...diskStorageConfig(), root });
      return {
        storage,
        count: async (prefix) => walk(path.join(root, prefix)).filter((f) => !f.includes(".tmp")).length,
        close: async () => rmSync(root, { recursive: true, force: true }),
      };
    },
  ],
  [
    "r2 (s3rver)",
    async () => {
      const h: S3rverHarness = await startS3rver("assets-test");
      const config = {
        kind: "r2" as const,
        endpoint: h.endpoint,
        bucket: h.bucket,
        accessKeyId: h.accessKeyId,
        secretAccessKey: h.secretAccessKey,
        forcePathStyle: true,
      };
      const client = createR2Client(config);
      return {
        storage: createStorage(config),
        async count(prefix) {
          const out = await client.send(new ListObjectsV2Command({ Bucket: h.bucket, Prefix: prefix }));
          return out.KeyCount ?? 0;
        },
        close: () => h.close(),
      };
    },
  ],
];

/** A multipart upload as a browser sends it (serialised up front, no Content-Length header). */
async function uploadRequest(shop: string, file: Buffer, name: string, type: string) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(file)], { type }), name);
  const encoded = new Response(form);
  const body = await encoded.arrayBuffer();
  return adminRequest(shop, "/app/uploads", {
    method: "POST",
    body,
    headers: { "content-type": encoded.headers.get("content-type")! },
  });
}

describe.each(backends)("assets on %s storage", (name, make) => {
  let backend: Backend;
  const domain = `assets-${name.replace(/\W+/g, "")}.myshopify.com`;
  let shopId: string;

  beforeAll(async () => {
    backend = await make();
    setAppStorage(backend.storage);
    shopId = (await installShop(domain)).id;
  });
  afterAll(async () => {
    setAppStorage(undefined);
    await backend.close();
  });

  it("stores an upload once: three renditions and one row; the same bytes again are not stored twice", async () => {
    const first = await upload(routeArgs(await uploadRequest(domain, fixture("valid-photo.jpg"), "mug.jpg", "image/jpeg")));
    expect(first.status).toBe(201);
    const { asset } = (await first.json()) as { asset: { id: string } };
    expect(await backend.count(`shops/${shopId}/uploads/${asset.id}/`)).toBe(3);

    const again = await upload(routeArgs(await uploadRequest(domain, fixture("valid-photo.jpg"), "copy.jpg", "image/jpeg")));
    expect(again.status).toBe(200);
    expect(((await again.json()) as { deduplicated: boolean }).deduplicated).toBe(true);
    expect(await db.asset.count({ where: { shopId } })).toBe(1);
    expect(await backend.count(`shops/${shopId}/`)).toBe(3);
  });

  const refused: Array<[string, string, number, RegExp]> = [
    ["empty.jpg", "image/jpeg", 422, /empty/],
    ["truncated.jpg", "image/jpeg", 422, /damaged or incomplete/],
    ["bomb-50000x50000.png", "image/png", 422, /limit is 50 megapixels/],
    ["html-renamed.jpg", "image/jpeg", 415, /web page/],
    ["svg-renamed.jpg", "image/jpeg", 415, /SVG/],
    ["photo.tiff", "image/tiff", 415, /TIFF/],
    ["animated.gif", "image/gif", 415, /GIF/],
  ];
  it.each(refused)("refuses %s with a clear %s and leaves nothing behind", async (file, type, status, message) => {
    const rowsBefore = await db.asset.count();
    const objectsBefore = await backend.count(`shops/${shopId}/`);
    const response = await upload(routeArgs(await uploadRequest(domain, fixture(file), file, type)));
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { detail: string } };
    expect(body.error.detail).toMatch(message);
    expect(await db.asset.count()).toBe(rowsBefore);
    expect(await backend.count(`shops/${shopId}/`)).toBe(objectsBefore);
  });

  it("refuses a body over the size limit with 413 before reading it", async () => {
    const big = Buffer.alloc(26 * 1024 * 1024, 0xff);
    const response = await upload(routeArgs(await uploadRequest(domain, big, "huge.jpg", "image/jpeg")));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { detail: string } }).error.detail).toMatch(/larger than 25 MB/);
  });

  it("deletes an asset's objects for good", async () => {
    const created = await upload(routeArgs(await uploadRequest(domain, fixture("alpha.png"), "alpha.png", "image/png")));
    const { asset } = (await created.json()) as { asset: { id: string } };
    const shown = await settle(detail(routeArgs(await adminRequest(domain, `/app/library/${asset.id}`), { assetId: asset.id })));
    expect(shown.status).toBe(200);
    const removed = await settle(
      deleteAction(routeArgs(await adminRequest(domain, `/app/library/${asset.id}`, { method: "POST" }), { assetId: asset.id })),
    );
    expect(removed.status).toBe(302);
    expect(await db.asset.count({ where: { id: asset.id } })).toBe(0);
    expect(await backend.count(`shops/${shopId}/uploads/${asset.id}/`)).toBe(0);
  });

  it("never shows another shop's asset (404, not 403)", async () => {
    const other = `other-${name.replace(/\W+/g, "")}.myshopify.com`;
    await installShop(other);
    const mine = await db.asset.findFirstOrThrow({ where: { shopId } });
    const response = await settle(detail(routeArgs(await adminRequest(other, `/app/library/${mine.id}`), { assetId: mine.id })));
    expect(response.status).toBe(404);
  });

  it("uninstall leaves 0 rows and 0 objects for the shop", async () => {
    expect(await backend.count(`shops/${shopId}/`)).toBeGreaterThan(0);
    const response = await uninstalled(routeArgs(webhookRequest("/webhooks/app/uninstalled", { topic: "app/uninstalled", shop: domain })));
    expect(response.status).toBe(200);
    expect(await db.asset.count({ where: { shopId } })).toBe(0);
    expect(await backend.count(`shops/${shopId}/`)).toBe(0);
  });
});

describe("Library filters", () => {
  it("lists only the chosen kind and product, newest first, one page at a time", async () => {
    const { libraryPage } = await import("~/assets/library-page.server");
    const root = mkdtempSync(path.join(tmpdir(), "lightbox-library-"));
    const storage = createStorage({ ...diskStorageConfig(), root });
    try {
      const shop = await installShop("library-filters.myshopify.com");
      const { ingestAsset } = await import("~/assets/ingest-asset.server");
      const mug = "gid://shopify/Product/1001";
      const add = (file: string, productId: string | null) =>
        ingestAsset({ db, storage, shopId: shop.id, kind: "upload", bytes: fixture(file), filename: file, productId });
      await add("valid-photo.jpg", mug);
      await add("alpha.png", null);
      await add("photo.webp", mug);
      const forMug = await libraryPage(db, storage, { shopId: shop.id, productId: mug });
      expect(forMug.items.map((i) => i.filename)).toEqual(["photo.webp", "valid-photo.jpg"]);
      const firstPage = await libraryPage(db, storage, { shopId: shop.id, kind: "upload", limit: 2 });
      expect(firstPage.items).toHaveLength(2);
      const secondPage = await libraryPage(db, storage, { shopId: shop.id, kind: "upload", limit: 2, cursor: firstPage.nextCursor });
      expect(secondPage.items.map((i) => i.filename)).toEqual(["valid-photo.jpg"]);
      expect(secondPage.nextCursor).toBeNull();
      expect((await libraryPage(db, storage, { shopId: shop.id, kind: "generated" })).items).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
