import { createDiskStorage } from "./disk.server";
import { createR2Storage } from "./r2.server";
import type { ObjectStorage, StorageConfig } from "./types";

export function createStorage(config: StorageConfig): ObjectStorage {
  switch (config.kind) {
    case "r2":
      return createR2Storage(config);
    case "disk":
      return createDiskStorage(config);
    default: {
      const never: never = config;
      throw new Error(`unknown storage kind ${JSON.stringify((never as { kind?: unknown }).kind)}`);
    }
  }
}

export { verifyDiskSignature } from "./disk-signature.server";
export { readObjectBytes } from "./read-object.server";
export { serveDiskObject } from "./serve-disk.server";
export { assetPrefix, shopObjectKey, shopPrefix, type ObjectKind, type Rendition } from "./keys";
export * from "./types";
