// AES-256-GCM with a keyring: the newest key encrypts, every listed key decrypts.
// Ciphertext format (text, safe for a TEXT column):
//   enc:v1:<key-id>:<base64url(12-byte nonce | ciphertext | 16-byte tag)>
// The caller's associated data (e.g. the session id) is authenticated but not stored, so a
// ciphertext copied onto another row fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const PREFIX = "enc:v1:";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  override name = "DecryptionError";
}

export type Keyring = {
  encrypt(plaintext: string, associatedData: string): string;
  decrypt(ciphertext: string, associatedData: string): string;
  isEncrypted(value: string): boolean;
};

/** Parses "<id>:<base64 32 bytes>[,<id>:<key>...]", newest first. */
export function parseKeys(spec: string): Array<{ id: string; key: Buffer }> {
  const keys = spec
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const separator = entry.indexOf(":");
      const id = entry.slice(0, separator);
      const key = Buffer.from(entry.slice(separator + 1), "base64");
      if (separator < 1 || key.length !== 32) {
        throw new Error(`Encryption key "${id || entry.slice(0, 8)}" must be 32 bytes in base64`);
      }
      return { id, key };
    });
  if (keys.length === 0) throw new Error("At least one encryption key is required");
  return keys;
}

export function createKeyring(spec: string): Keyring {
  const keys = parseKeys(spec);
  const byId = new Map(keys.map((entry) => [entry.id, entry.key]));
  const current = keys[0]!;

  return {
    encrypt(plaintext, associatedData) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv("aes-256-gcm", current.key, nonce);
      cipher.setAAD(Buffer.from(associatedData, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const payload = Buffer.concat([nonce, body, cipher.getAuthTag()]);
      return `${PREFIX}${current.id}:${payload.toString("base64url")}`;
    },
    decrypt(ciphertext, associatedData) {
      if (!ciphertext.startsWith(PREFIX)) throw new DecryptionError("Value is not Lightbox ciphertext");
      const rest = ciphertext.slice(PREFIX.length);
      const separator = rest.indexOf(":");
      const keyId = rest.slice(0, separator);
      const key = byId.get(keyId);
      if (!key) throw new DecryptionError(`No encryption key with id "${keyId}" is configured`);
      const payload = Buffer.from(rest.slice(separator + 1), "base64url");
      if (payload.length < NONCE_BYTES + TAG_BYTES) throw new DecryptionError("Ciphertext is truncated");
      const decipher = createDecipheriv("aes-256-gcm", key, payload.subarray(0, NONCE_BYTES));
      decipher.setAAD(Buffer.from(associatedData, "utf8"));
      decipher.setAuthTag(payload.subarray(payload.length - TAG_BYTES));
      try {
        const body = payload.subarray(NONCE_BYTES, payload.length - TAG_BYTES);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      } catch {
        throw new DecryptionError("Ciphertext failed authentication (tampered, or bound to another record)");
      }
    },
    isEncrypted(value) {
      return value.startsWith(PREFIX);
    },
  };
}

export function generateKeySpec(id = "k1"): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}
