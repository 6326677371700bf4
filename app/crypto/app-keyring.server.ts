// The app's keyring: ENCRYPTION_KEYS in production; on a developer machine without it, a key
// generated once into DATA_DIR (mode 0600) so the embedded default needs no setup.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { env } from "~/env.server";

import { createKeyring, generateKeySpec, type Keyring } from "./keyring.server";

let keyring: Keyring | undefined;

function localKeySpec(dataDir: string): string {
  const file = path.resolve(dataDir, "encryption-keys");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const spec = generateKeySpec("local1");
    try {
      writeFileSync(file, `${spec}\n`, { mode: 0o600, flag: "wx" });
      return spec;
    } catch {
      return readFileSync(file, "utf8").trim(); // another process created it first
    }
  }
}

export function appKeyring(): Keyring {
  if (!keyring) {
    const { encryptionKeys, dataDir } = env();
    keyring = createKeyring(encryptionKeys ?? localKeySpec(dataDir));
  }
  return keyring;
}
