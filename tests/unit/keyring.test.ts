import { describe, expect, it } from "vitest";

import { createKeyring, DecryptionError, generateKeySpec, parseKeys } from "~/crypto/keyring.server";

const key1 = generateKeySpec("k1");
const key2 = generateKeySpec("k2");

describe("keyring (AES-256-GCM)", () => {
  it("round-trips and never leaves the plaintext in the ciphertext", () => {
    const ring = createKeyring(key1);
    const secret = "shpat_0123456789abcdef";
    const sealed = ring.encrypt(secret, "session:offline_a");
    expect(sealed).toMatch(/^enc:v1:k1:/);
    expect(sealed).not.toContain(secret);
    expect(ring.decrypt(sealed, "session:offline_a")).toBe(secret);
  });

  it("uses a fresh nonce every time", () => {
    const ring = createKeyring(key1);
    expect(ring.encrypt("same", "ad")).not.toBe(ring.encrypt("same", "ad"));
  });

  it("GIVEN data sealed under key 1 WHEN key 2 is added THEN old data still opens and new data uses key 2", () => {
    const before = createKeyring(key1).encrypt("token", "ad");
    const rotated = createKeyring(`${key2},${key1}`);
    expect(rotated.decrypt(before, "ad")).toBe("token");
    expect(rotated.encrypt("token", "ad")).toMatch(/^enc:v1:k2:/);
  });

  it("refuses a tampered ciphertext", () => {
    const ring = createKeyring(key1);
    const sealed = ring.encrypt("token", "ad");
    const body = Buffer.from(sealed.split(":")[3]!, "base64url");
    body[body.length - 20]! ^= 0x01;
    const tampered = `enc:v1:k1:${body.toString("base64url")}`;
    expect(() => ring.decrypt(tampered, "ad")).toThrow(DecryptionError);
  });

  it("refuses a ciphertext moved to another record (associated data differs)", () => {
    const ring = createKeyring(key1);
    const sealed = ring.encrypt("token", "session:offline_a");
    expect(() => ring.decrypt(sealed, "session:offline_b")).toThrow(/authentication/);
  });

  it("names the missing key when a ciphertext was sealed by a key that is no longer configured", () => {
    const sealed = createKeyring(key1).encrypt("token", "ad");
    expect(() => createKeyring(key2).decrypt(sealed, "ad")).toThrow(/"k1"/);
  });

  it("rejects keys that are not 32 bytes", () => {
    expect(() => parseKeys(`short:${Buffer.alloc(16).toString("base64")}`)).toThrow(/32 bytes/);
  });
});
