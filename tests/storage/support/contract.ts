import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { InvalidStorageKeyError, type ObjectStorage } from "~/storage/index.server";

export interface ContractTarget {
  storage: ObjectStorage;
  close(): Promise<void>;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** A stream that yields `total` bytes in `chunk`-sized pieces and never says how long it is. */
function chunkedStream(data: Buffer, chunk = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
    })(),
  );
}

const MIB = 1024 * 1024;

/**
 * The behaviour every ObjectStorage backend must have. Each backend's test file calls this once
 * with a factory that returns a fresh, empty backend.
 */
export function storageContract(name: string, start: () => Promise<ContractTarget>): void {
  describe(`ObjectStorage contract: ${name}`, () => {
    let target: ContractTarget;
    let storage: ObjectStorage;
    // Each run gets its own shop ids so a failed earlier test cannot leak objects into a later one.
    const run = randomBytes(4).toString("hex");
    const shop = (suffix: string) => `shop-${run}-${suffix}`;

    beforeAll(async () => {
      target = await start();
      storage = target.storage;
    });
    afterAll(async () => {
      await target?.close();
    });

    it("GIVEN a Buffer put WHEN read back THEN bytes, type and length round-trip", async () => {
      const key = `shops/${shop("a")}/uploads/asset1/original.jpg`;
      const body = randomBytes(10_000);
      await storage.put(key, body, { contentType: "image/jpeg" });

      const head = await storage.head(key);
      expect(head).toMatchObject({ contentType: "image/jpeg", contentLength: 10_000 });

      const got = await storage.get(key);
      expect(got).not.toBeNull();
      expect(got!.contentType).toBe("image/jpeg");
      expect(got!.contentLength).toBe(10_000);
      expect((await readAll(got!.stream)).equals(body)).toBe(true);
    });

    it("stores streams with and without a declared length", async () => {
      const a = `shops/${shop("s")}/uploads/asset1/original.png`;
      const b = `shops/${shop("s")}/uploads/asset2/original.png`;
      const body = randomBytes(300_000);
      await storage.put(a, chunkedStream(body), { contentType: "image/png", contentLength: body.length });
      await storage.put(b, chunkedStream(body), { contentType: "image/png" });
      for (const key of [a, b]) {
        const got = await storage.get(key);
        expect(got?.contentLength).toBe(body.length);
        expect((await readAll(got!.stream)).equals(body)).toBe(true);
      }
    });

    it("overwrites an existing key", async () => {
      const key = `shops/${shop("o")}/generated/g1/display.webp`;
      await storage.put(key, Buffer.from("first version"), { contentType: "image/webp" });
      await storage.put(key, Buffer.from("second"), { contentType: "image/png" });
      const got = await storage.get(key);
      expect(got?.contentType).toBe("image/png");
      expect((await readAll(got!.stream)).toString()).toBe("second");
    });

    it("returns null for missing objects and deletes idempotently", async () => {
      const key = `shops/${shop("m")}/uploads/nothing/original.jpg`;
      expect(await storage.get(key)).toBeNull();
      expect(await storage.head(key)).toBeNull();
      await expect(storage.delete(key)).resolves.toBeUndefined();

      await storage.put(key, Buffer.from("x"), { contentType: "image/jpeg" });
      await storage.delete(key);
      expect(await storage.head(key)).toBeNull();
      expect(await storage.get(key)).toBeNull();
    });

    it("deletePrefix removes exactly that prefix and counts what it removed", async () => {
      const victim = shop("p");
      const neighbour = `${victim}x`; // shares the string prefix "shops/<victim>" but not "shops/<victim>/"
      const victimKeys = [
        `shops/${victim}/uploads/u1/original.jpg`,
        `shops/${victim}/uploads/u1/display.webp`,
        `shops/${victim}/generated/g1/original.png`,
        `shops/${victim}/product-photos/p1/thumb.webp`,
      ];
      const keepKeys = [`shops/${neighbour}/uploads/u1/original.jpg`, `shops/${shop("q")}/uploads/u1/original.jpg`];
      for (const key of [...victimKeys, ...keepKeys]) await storage.put(key, Buffer.from(key), { contentType: "text/plain" });

      expect(await storage.deletePrefix(`shops/${victim}/uploads/`)).toBe(2);
      expect(await storage.head(victimKeys[2]!)).not.toBeNull();
      expect(await storage.deletePrefix(`shops/${victim}/`)).toBe(2);
      for (const key of victimKeys) expect(await storage.head(key), key).toBeNull();
      for (const key of keepKeys) expect(await storage.head(key), key).not.toBeNull();
      expect(await storage.deletePrefix(`shops/${victim}/`)).toBe(0);
    });

    it("refuses prefixes that are not whole segments ending in '/'", async () => {
      for (const prefix of ["", "/", "shops", `shops/${shop("p")}`, "../", "shops/../", "shops//"]) {
        await expect(storage.deletePrefix(prefix), JSON.stringify(prefix)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      }
    });

    it("refuses keys that could escape or confuse the key space", async () => {
      const bad = ["", "/abs/key.jpg", "../x.jpg", "shops/../x.jpg", "shops/./x.jpg", "a//b.jpg", "a\\b.jpg", ".meta/x.json", "shops/a/", "a/b c.jpg", "a/%2e%2e/b"];
      for (const key of bad) {
        const label = JSON.stringify(key);
        await expect(storage.put(key, Buffer.from("x"), { contentType: "text/plain" }), label).rejects.toBeInstanceOf(InvalidStorageKeyError);
        await expect(storage.get(key), label).rejects.toBeInstanceOf(InvalidStorageKeyError);
        await expect(storage.head(key), label).rejects.toBeInstanceOf(InvalidStorageKeyError);
        await expect(storage.delete(key), label).rejects.toBeInstanceOf(InvalidStorageKeyError);
        await expect(storage.presignGet(key, { expiresIn: 60 }), label).rejects.toBeInstanceOf(InvalidStorageKeyError);
      }
    });

    it("round-trips a 12 MiB object from a Buffer and from a stream of unknown length", async () => {
      const body = randomBytes(12 * MIB + 123);
      const a = `shops/${shop("big")}/generated/g1/original.png`;
      const b = `shops/${shop("big")}/generated/g2/original.png`;
      await storage.put(a, body, { contentType: "image/png" });
      await storage.put(b, chunkedStream(body, 256 * 1024), { contentType: "image/png" });
      for (const key of [a, b]) {
        expect((await storage.head(key))?.contentLength).toBe(body.length);
        const got = await storage.get(key);
        expect((await readAll(got!.stream)).equals(body), key).toBe(true);
      }
    });

    it("presigned GET URLs are fetchable with plain fetch, carry the file name, and expire", async () => {
      const key = `shops/${shop("url")}/generated/g1/display.webp`;
      const body = randomBytes(2048);
      await storage.put(key, body, { contentType: "image/webp" });

      const url = await storage.presignGet(key, { expiresIn: 300 });
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/webp");
      expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);

      const named = await storage.presignGet(key, { expiresIn: 300, filename: "Blue mug – studio.webp" });
      const namedRes = await fetch(named);
      expect(namedRes.status).toBe(200);
      expect(namedRes.headers.get("content-disposition")).toContain("attachment");
      expect(namedRes.headers.get("content-disposition")).toContain("filename*=UTF-8''Blue%20mug%20%E2%80%93%20studio.webp");
      await namedRes.arrayBuffer();

      const short = await storage.presignGet(key, { expiresIn: 1 });
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const expired = await fetch(short);
      expect(expired.status).toBe(403);
      await expired.arrayBuffer();
    });

    it("refuses presign lifetimes outside 1 s .. 7 days", async () => {
      const key = `shops/${shop("url")}/generated/g1/display.webp`;
      for (const expiresIn of [0, -5, 1.5, 604_801]) {
        await expect(storage.presignGet(key, { expiresIn }), String(expiresIn)).rejects.toThrow(/expiresIn/);
      }
    });
  });
}
