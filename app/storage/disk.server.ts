import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

import { diskSignature, MIN_SIGNING_SECRET_LENGTH } from "./disk-signature.server";
import { assertValidKey, assertValidPrefix } from "./keys";
import {
  assertPresignSeconds,
  StorageError,
  type DiskStorageConfig,
  type GetResult,
  type ObjectInfo,
  type ObjectStorage,
  type PresignGetOptions,
  type PutOptions,
} from "./types";

/**
 * Objects live at `<root>/<key>`; their content type in `<root>/.meta/<key>.json`;
 * writes go through `<root>/.tmp/` and are renamed into place (same file system, atomic).
 * Keys never start a segment with ".", so neither helper directory can collide with a key.
 */
export function createDiskStorage(config: DiskStorageConfig): ObjectStorage {
  if (!config.root) throw new StorageError("disk storage needs a root directory");
  if (!config.signingSecret || config.signingSecret.length < MIN_SIGNING_SECRET_LENGTH) {
    throw new StorageError(`disk storage signingSecret must be at least ${MIN_SIGNING_SECRET_LENGTH} characters`);
  }
  const base = new URL(config.publicBaseUrl); // throws on a relative or malformed URL
  const baseUrl = base.toString().replace(/\/+$/, "");
  const root = path.resolve(config.root);
  const metaRoot = path.join(root, ".meta");
  const tmpRoot = path.join(root, ".tmp");

  function objectPath(key: string): string {
    assertValidKey(key);
    const full = path.resolve(root, ...key.split("/"));
    // Belt and braces: the key pattern already forbids "..", absolute paths and backslashes.
    if (!full.startsWith(root + path.sep)) throw new StorageError(`key escapes the storage root: ${key}`);
    return full;
  }
  const metaPath = (key: string) => path.join(metaRoot, ...key.split("/")) + ".json";

  async function writeAtomically(target: string, source: Buffer | Readable, expectedLength?: number): Promise<number> {
    await fs.mkdir(tmpRoot, { recursive: true });
    await fs.mkdir(path.dirname(target), { recursive: true });
    const tmp = path.join(tmpRoot, `${randomBytes(12).toString("hex")}.part`);
    try {
      let written = 0;
      if (Buffer.isBuffer(source)) {
        // A body already in memory: one write, no stream machinery.
        written = source.length;
        await fs.writeFile(tmp, source, { flush: true });
      } else {
        const counter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            written += chunk.length;
            done(null, chunk);
          },
        });
        await pipeline(source, counter, createWriteStream(tmp, { flush: true }));
      }
      if (expectedLength !== undefined && written !== expectedLength) {
        throw new StorageError(`body was ${written} bytes but contentLength said ${expectedLength}`);
      }
      await fs.rename(tmp, target);
      return written;
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }

  async function readMeta(key: string): Promise<{ contentType: string }> {
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(metaPath(key), "utf8"));
      if (parsed && typeof parsed === "object" && "contentType" in parsed && typeof parsed.contentType === "string") {
        return { contentType: parsed.contentType };
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    return { contentType: "application/octet-stream" };
  }

  async function removeEmptyParents(dir: string, stopAt: string): Promise<void> {
    let current = dir;
    while (current.startsWith(stopAt + path.sep)) {
      try {
        await fs.rmdir(current);
      } catch {
        return; // not empty (or gone): stop climbing
      }
      current = path.dirname(current);
    }
  }

  return {
    kind: "disk",

    async put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void> {
      const file = objectPath(key);
      // Metadata first: once the object is visible its content type is already there.
      await writeAtomically(metaPath(key), Buffer.from(JSON.stringify({ contentType: options.contentType })));
      await writeAtomically(file, body, options.contentLength);
    },

    async get(key: string): Promise<GetResult | null> {
      const file = objectPath(key);
      let handle: fs.FileHandle;
      try {
        handle = await fs.open(file, "r");
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
      try {
        const stat = await handle.stat();
        const { contentType } = await readMeta(key);
        // The stream owns the descriptor from here (autoClose), so a concurrent delete cannot cut it short.
        const stream = handle.createReadStream({ autoClose: true });
        return { stream, contentType, contentLength: stat.size, lastModified: stat.mtime };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async head(key: string): Promise<ObjectInfo | null> {
      const file = objectPath(key);
      try {
        const stat = await fs.stat(file);
        const { contentType } = await readMeta(key);
        return { contentType, contentLength: stat.size, lastModified: stat.mtime };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async delete(key: string): Promise<void> {
      const file = objectPath(key);
      await fs.rm(file, { force: true });
      await fs.rm(metaPath(key), { force: true });
      await removeEmptyParents(path.dirname(file), root);
      await removeEmptyParents(path.dirname(metaPath(key)), metaRoot);
    },

    async deletePrefix(prefix: string): Promise<number> {
      assertValidPrefix(prefix);
      const dir = path.resolve(root, ...prefix.split("/").filter(Boolean));
      if (!dir.startsWith(root + path.sep)) throw new StorageError(`prefix escapes the storage root: ${prefix}`);
      let count = 0;
      try {
        const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
        count = entries.filter((entry) => entry.isFile()).length;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      await fs.rm(dir, { recursive: true, force: true });
      const metaDir = path.join(metaRoot, ...prefix.split("/").filter(Boolean));
      await fs.rm(metaDir, { recursive: true, force: true });
      await removeEmptyParents(path.dirname(dir), root);
      await removeEmptyParents(path.dirname(metaDir), metaRoot);
      return count;
    },

    async presignGet(key: string, options: PresignGetOptions): Promise<string> {
      assertValidKey(key);
      assertPresignSeconds(options.expiresIn);
      const expires = Math.floor(Date.now() / 1000) + options.expiresIn;
      const query = new URLSearchParams({ expires: String(expires) });
      if (options.filename !== undefined) query.set("filename", options.filename);
      query.set("sig", diskSignature(config.signingSecret, key, expires, options.filename));
      return `${baseUrl}/${key}?${query.toString()}`;
    },
  };
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error.code === "ENOENT" || error.code === "ENOTDIR");
}
