import { mkdtemp, readdir, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createStorage,
  serveDiskObject,
  StorageError,
  verifyDiskSignature,
  type DiskStorageConfig,
  type ObjectStorage,
} from "~/storage/index.server";

import { storageContract } from "./support/contract";

const SECRET = "test-secret-0123456789abcdef0123456789";

interface DiskTarget {
  storage: ObjectStorage;
  config: DiskStorageConfig;
  close(): Promise<void>;
}

/** A disk backend in a temp dir plus a real HTTP server that serves its presigned URLs. */
async function startDisk(): Promise<DiskTarget> {
  const root = await mkdtemp(path.join(tmpdir(), "lightbox-disk-"));
  const config: DiskStorageConfig = { kind: "disk", root, publicBaseUrl: "", signingSecret: SECRET };
  const holder: { storage?: ObjectStorage } = {};
  const server = http.createServer(async (req, res) => {
    const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method });
    const response = await serveDiskObject(request, { storage: holder.storage!, signingSecret: SECRET, publicBaseUrl: config.publicBaseUrl });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) Readable.fromWeb(response.body as WebReadableStream).pipe(res);
    else res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  config.publicBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files`;
  const storage = createStorage(config);
  holder.storage = storage;
  return {
    storage,
    config,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

storageContract("disk", startDisk);

describe("disk backend specifics", () => {
  let t: DiskTarget;
  beforeAll(async () => {
    t = await startDisk();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("signs key, expiry and file name; any change or another secret fails verification", async () => {
    const key = "shops/s1/uploads/a1/original.jpg";
    const url = new URL(await t.storage.presignGet(key, { expiresIn: 600, filename: "a.jpg" }));
    expect(url.pathname).toBe(`/files/${key}`);
    const expires = url.searchParams.get("expires")!;
    const sig = url.searchParams.get("sig")!;
    const opts = { signingSecret: SECRET, filename: "a.jpg" };

    expect(verifyDiskSignature(key, expires, sig, opts)).toBe(true);
    expect(verifyDiskSignature("shops/s1/uploads/a2/original.jpg", expires, sig, opts)).toBe(false);
    expect(verifyDiskSignature(key, String(Number(expires) + 1), sig, opts)).toBe(false);
    expect(verifyDiskSignature(key, expires, sig, { ...opts, filename: "b.jpg" })).toBe(false);
    expect(verifyDiskSignature(key, expires, sig, { ...opts, filename: null })).toBe(false);
    expect(verifyDiskSignature(key, expires, sig, { ...opts, signingSecret: `${SECRET}x` })).toBe(false);
    expect(verifyDiskSignature(key, expires, `${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`, opts)).toBe(false);
    expect(verifyDiskSignature(key, expires, null, opts)).toBe(false);
    expect(verifyDiskSignature(key, "1e12", sig, opts)).toBe(false);
    // Expiry: valid up to and including the second it names, refused after.
    expect(verifyDiskSignature(key, expires, sig, { ...opts, now: Number(expires) * 1000 + 999 })).toBe(true);
    expect(verifyDiskSignature(key, expires, sig, { ...opts, now: (Number(expires) + 1) * 1000 })).toBe(false);
  });

  it("the serving route answers 403 to tampered URLs and 404 to missing objects", async () => {
    const key = "shops/s1/uploads/a1/original.jpg";
    await t.storage.put(key, Buffer.from("jpeg bytes"), { contentType: "image/jpeg" });
    const good = await t.storage.presignGet(key, { expiresIn: 600 });
    const ok = await fetch(good);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await ok.text()).toBe("jpeg bytes");

    const other = good.replace("/a1/", "/a2/");
    expect((await fetch(other)).status).toBe(403);
    expect((await fetch(good.replace(/sig=[^&]+/, "sig=" + "A".repeat(43)))).status).toBe(403);
    expect((await fetch(good.replace(/&?sig=[^&]+/, ""))).status).toBe(403);
    const missing = await t.storage.presignGet("shops/s1/uploads/nope/original.jpg", { expiresIn: 600 });
    expect((await fetch(missing)).status).toBe(404);
    expect((await fetch(`${t.config.publicBaseUrl}/..%2F..%2Fetc/passwd?expires=9999999999&sig=x`)).status).toBe(404);
  });

  it("a failed streamed write leaves the previous version and no temp files behind", async () => {
    const key = "shops/s1/uploads/atomic/original.jpg";
    await t.storage.put(key, Buffer.from("old"), { contentType: "image/jpeg" });
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 1));
        this.destroy(new Error("client went away"));
      },
    });
    await expect(t.storage.put(key, failing, { contentType: "image/jpeg" })).rejects.toThrow("client went away");
    await expect(t.storage.put(key, Buffer.from("four"), { contentType: "image/jpeg", contentLength: 3 })).rejects.toBeInstanceOf(StorageError);

    const got = await t.storage.get(key);
    const chunks: Buffer[] = [];
    for await (const c of got!.stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("old");
    expect(await readdir(path.join(t.config.root, ".tmp"))).toEqual([]);
  });

  it("refuses a weak signing secret and a relative public URL", () => {
    expect(() => createStorage({ ...t.config, signingSecret: "short" })).toThrow(/at least 32/);
    expect(() => createStorage({ ...t.config, publicBaseUrl: "/files" })).toThrow();
  });
});
