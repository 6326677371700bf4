// The app's object storage, chosen by env: Cloudflare R2 when R2_* is set, else local disk
// under DATA_DIR/objects served (with signed, expiring URLs) by app/routes/files.$.ts.
import { hkdfSync } from "node:crypto";
import path from "node:path";

import { env } from "~/env.server";

import { createStorage } from "./index.server";
import type { DiskStorageConfig, ObjectStorage } from "./types";

/** Path under the app's URL where disk objects are served. */
export const DISK_FILES_PATH = "/files";

export function diskStorageConfig(): DiskStorageConfig {
  const { dataDir, appUrl, shopifyApiSecret } = env();
  // A per-deployment secret without another setting: derived from the app secret.
  const signingSecret = Buffer.from(
    hkdfSync("sha256", shopifyApiSecret, "lightbox", "disk-object-urls", 32),
  ).toString("base64url");
  return {
    kind: "disk",
    root: path.resolve(dataDir, "objects"),
    publicBaseUrl: `${appUrl.replace(/\/+$/, "")}${DISK_FILES_PATH}`,
    signingSecret,
  };
}

let storage: ObjectStorage | undefined;

export function appStorage(): ObjectStorage {
  if (!storage) {
    const { r2 } = env();
    storage = createStorage(r2 ? { kind: "r2", region: "auto", ...r2 } : diskStorageConfig());
  }
  return storage;
}

/** Tests swap in a storage backend (e.g. R2 on a local S3 server). */
export function setAppStorage(next: ObjectStorage | undefined): void {
  storage = next;
}
