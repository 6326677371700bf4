// Outbound webhook signatures, Stripe-style:
//   Lightbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// The per-shop signing secret ("whsec_...") is derived, not stored: HMAC(HKDF key, shop id) for
// every configured encryption key. During a key rotation a delivery carries one v1 per secret,
// newest first, so receivers holding the old secret keep verifying until they update
// (docs/decisions/0043-*).
import { createHmac, timingSafeEqual } from "node:crypto";

import { derivedKeys } from "~/tokens/secrets.server";

export const SIGNATURE_HEADER = "Lightbox-Signature";
const PURPOSE = "api-webhook-signing";

/** Every valid signing secret of the shop, newest first. */
export function webhookSigningSecrets(shopId: string): string[] {
  return derivedKeys(PURPOSE).map(({ key }) => `whsec_${createHmac("sha256", key).update(`shop:${shopId}`).digest("base64url")}`);
}

/** The secret to show the merchant (Settings > API). */
export function webhookSigningSecret(shopId: string): string {
  return webhookSigningSecrets(shopId)[0]!;
}

function sign(secret: string, timestamp: number, payload: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
}

export function signatureHeader(shopId: string, payload: string, timestamp: number): string {
  return [`t=${timestamp}`, ...webhookSigningSecrets(shopId).map((secret) => `v1=${sign(secret, timestamp, payload)}`)].join(",");
}

/**
 * What a receiver does (also used by our tests and docs): parse the header, recompute the HMAC
 * over "<t>.<raw body>" with its secret, compare in constant time, and refuse old timestamps.
 */
export function verifyWebhookSignature(
  header: string | null,
  payload: string,
  secret: string,
  options: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  if (!header) return false;
  const parts = header.split(",").map((part) => part.trim().split("=", 2) as [string, string?]);
  const timestamp = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(timestamp)) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(sign(secret, timestamp, payload), "hex");
  return parts
    .filter(([k, v]) => k === "v1" && v && /^[0-9a-f]{64}$/.test(v))
    .some(([, v]) => timingSafeEqual(Buffer.from(v!, "hex"), expected));
}
