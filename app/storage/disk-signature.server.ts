import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Presigned URLs for the disk backend: `${publicBaseUrl}/<key>?expires=<unix s>&sig=<b64url>`
 * (+ `&filename=` when a download name was asked for). The HMAC-SHA256 covers a version tag,
 * the key, the expiry and the file name, so none of them can be changed without the secret.
 * See docs/decisions/0022-disk-storage-presigned-urls.md.
 */
const SIGNATURE_VERSION = "lightbox-disk-v1";

export const MIN_SIGNING_SECRET_LENGTH = 32;

export function diskSignature(secret: string, key: string, expires: number, filename?: string): string {
  return createHmac("sha256", secret)
    .update(`${SIGNATURE_VERSION}\n${key}\n${expires}\n${filename ?? ""}`)
    .digest("base64url");
}

export interface VerifyDiskSignatureOptions {
  signingSecret: string;
  /** The `filename` query parameter, if the URL has one (it is signed too). */
  filename?: string | null;
  /** Current time in ms (tests). */
  now?: number;
}

/**
 * True only if `sig` was made with the secret for exactly this key, expiry and file name,
 * and the expiry (unix seconds) has not passed. Accepts the raw query-string values.
 */
export function verifyDiskSignature(
  key: string,
  expires: string | number | null | undefined,
  sig: string | null | undefined,
  options: VerifyDiskSignatureOptions,
): boolean {
  if (typeof sig !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return false;
  const expiresText = String(expires ?? "");
  if (!/^[0-9]{1,12}$/.test(expiresText)) return false;
  const expiresAt = Number(expiresText);
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (expiresAt < nowSeconds) return false;
  const expected = Buffer.from(diskSignature(options.signingSecret, key, expiresAt, options.filename ?? undefined));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
