// Server-side secrets derived from the app's ENCRYPTION_KEYS with HKDF-SHA256, one purpose per
// derivation (token hashing pepper, webhook signing, pagination cursors). Deriving instead of
// adding settings keeps one secret to manage, and every configured key yields a derived key, so
// a key rotation keeps old tokens and old webhook secrets working (docs/decisions/0040-*).
import { hkdfSync } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import { appKeyring } from "~/crypto/app-keyring.server";
import { parseKeys } from "~/crypto/keyring.server";
import { env } from "~/env.server";

export type DerivedKey = { id: string; key: Buffer };

const SALT = "lightbox/derived-secrets/v1";

let spec: string | undefined;
const cache = new Map<string, DerivedKey[]>();

/** The raw key spec: ENCRYPTION_KEYS, or the development key file the app keyring uses. */
function keySpec(): string {
  if (spec) return spec;
  const { encryptionKeys, dataDir } = env();
  if (encryptionKeys) spec = encryptionKeys;
  else {
    appKeyring(); // creates DATA_DIR/encryption-keys on a developer machine the first time
    spec = readFileSync(path.resolve(dataDir, "encryption-keys"), "utf8").trim();
  }
  return spec;
}

/** Tests: derive from another key spec (e.g. to simulate a rotation). `undefined` restores. */
export function overrideKeySpecForTests(next: string | undefined): void {
  spec = next;
  cache.clear();
}

/** One 32-byte key per configured encryption key, newest first, for `purpose`. */
export function derivedKeys(purpose: string): DerivedKey[] {
  let keys = cache.get(purpose);
  if (!keys) {
    keys = parseKeys(keySpec()).map(({ id, key }) => ({ id, key: Buffer.from(hkdfSync("sha256", key, SALT, purpose, 32)) }));
    cache.set(purpose, keys);
  }
  return keys;
}

/** The newest derived key for `purpose`. */
export function currentDerivedKey(purpose: string): DerivedKey {
  return derivedKeys(purpose)[0]!;
}
