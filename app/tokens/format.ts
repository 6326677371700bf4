// The personal access token format, modelled on GitHub's: a recognisable prefix, enough
// randomness to be unguessable, and a checksum so a mistyped or truncated token is refused
// without touching the database (and secret scanners can tell a real token from noise).
//
//   lbx_ + 30 base62 characters (≈178.6 bits of randomness) + 6 base62 characters of CRC32
//   e.g. lbx_4Fq7x0LkQmZ2v9WbT1cYp8sNdR3hJe02kL9Q   (40 characters)
//
// This file has no server imports: the Settings page and the docs may show the shape.
import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

export const TOKEN_PREFIX = "lbx_";
export const TOKEN_RANDOM_LENGTH = 30;
export const TOKEN_CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + TOKEN_RANDOM_LENGTH + TOKEN_CHECKSUM_LENGTH;
/** Characters of the token kept in the database for display ("lbx_" + 4). */
export const DISPLAY_PREFIX_LENGTH = TOKEN_PREFIX.length + 4;
/** What a secret scanner should look for. */
export const TOKEN_PATTERN = /\blbx_[0-9A-Za-z]{36}\b/;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SHAPE = new RegExp(`^${TOKEN_PREFIX}[0-9A-Za-z]{${TOKEN_RANDOM_LENGTH + TOKEN_CHECKSUM_LENGTH}}$`);

/** Uniform base62 characters: bytes >= 248 (= 4 × 62) are discarded, so there is no modulo bias. */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

function base62(value: number, width: number): string {
  let out = "";
  let rest = value;
  do {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, "0");
}

/** CRC32 of "lbx_<random>" as 6 base62 characters (62^6 > 2^32, so every value fits). */
export function tokenChecksum(body: string): string {
  return base62(crc32(body) >>> 0, TOKEN_CHECKSUM_LENGTH);
}

export function generateToken(): string {
  const body = `${TOKEN_PREFIX}${randomBase62(TOKEN_RANDOM_LENGTH)}`;
  return `${body}${tokenChecksum(body)}`;
}

export type TokenShape = { ok: true; token: string; displayPrefix: string } | { ok: false; reason: "malformed" | "checksum" };

/** Checks shape and checksum only (no database): cheap enough to run before anything else. */
export function checkTokenShape(presented: string): TokenShape {
  if (!SHAPE.test(presented)) return { ok: false, reason: "malformed" };
  const body = presented.slice(0, TOKEN_PREFIX.length + TOKEN_RANDOM_LENGTH);
  if (tokenChecksum(body) !== presented.slice(body.length)) return { ok: false, reason: "checksum" };
  return { ok: true, token: presented, displayPrefix: presented.slice(0, DISPLAY_PREFIX_LENGTH) };
}
