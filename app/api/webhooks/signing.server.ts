// Outbound webhook signatures, Stripe-style:
//   Lightbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// The per-shop signing secret ("whsec_...") is stored encrypted on the Shop row (app/crypto keyring,
// bound to the shop) and can be rotated in Settings > API: the previous secret keeps being used
// for a second v1 for 24 hours, so receivers have a day to switch (docs/decisions/0074-*).
// A shop's first stored secret is the one Lightbox derived before secrets were stored (ADR 0043),
// so receivers set up before keep verifying.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

import { appKeyring } from "~/crypto/app-keyring.server";
import type { Db } from "~/db.server";
import { notFound } from "~/errors";
import { currentDerivedKey } from "~/tokens/secrets.server";

export const SIGNATURE_HEADER = "Lightbox-Signature";
/** How long the previous secret still signs after a rotation. */
export const WEBHOOK_SECRET_GRACE_MS = 24 * 3_600_000;

const aad = (shopId: string, which: "current" | "previous") => `shop:${shopId}:webhook-secret:${which}`;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** What ADR 0043 derived from the encryption key: the starting point of a shop's stored secret. */
function derivedSecret(shopId: string): string {
  return `whsec_${createHmac("sha256", currentDerivedKey("api-webhook-signing").key).update(`shop:${shopId}`).digest("base64url")}`;
}

export type WebhookSecretState = {
  /** Valid secrets, newest first: the current one, and the previous one during its grace period. */
  secrets: string[];
  rotatedAt: Date | null;
  /** When the previous secret stops signing (null: there is none in use). */
  previousValidUntil: Date | null;
};

/** The shop's signing secrets (stores the first one on first use). */
export async function webhookSecretState(db: Db, shopId: string, now = new Date()): Promise<WebhookSecretState> {
  const select = { webhookSecretCiphertext: true, webhookSecretPreviousCiphertext: true, webhookSecretRotatedAt: true } as const;
  let row = await db.shop.findUnique({ where: { id: shopId }, select });
  if (!row) throw notFound("The shop");
  if (!row.webhookSecretCiphertext) {
    // Conditional: two first uses at once store one secret.
    await db.shop.updateMany({
      where: { id: shopId, webhookSecretCiphertext: null },
      data: { webhookSecretCiphertext: appKeyring().encrypt(derivedSecret(shopId), aad(shopId, "current")) },
    });
    row = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select });
  }
  const keyring = appKeyring();
  const secrets = [keyring.decrypt(row.webhookSecretCiphertext!, aad(shopId, "current"))];
  const until = row.webhookSecretRotatedAt ? new Date(row.webhookSecretRotatedAt.getTime() + WEBHOOK_SECRET_GRACE_MS) : null;
  const previousInUse = Boolean(row.webhookSecretPreviousCiphertext && until && until.getTime() > now.getTime());
  if (previousInUse) secrets.push(keyring.decrypt(row.webhookSecretPreviousCiphertext!, aad(shopId, "previous")));
  return { secrets, rotatedAt: row.webhookSecretRotatedAt, previousValidUntil: previousInUse ? until : null };
}

/** Every secret a delivery is signed with right now, newest first. */
export async function webhookSigningSecrets(db: Db, shopId: string, now = new Date()): Promise<string[]> {
  return (await webhookSecretState(db, shopId, now)).secrets;
}

/** The secret to show the merchant (Settings > API). */
export async function webhookSigningSecret(db: Db, shopId: string): Promise<string> {
  return (await webhookSigningSecrets(db, shopId))[0]!;
}

/**
 * A new secret becomes current at once; the one it replaces keeps signing for WEBHOOK_SECRET_GRACE_MS.
 * Rotating again within that day replaces the previous one (a leaked secret is not kept alive).
 */
export async function rotateWebhookSecret(db: Db, shopId: string, now = new Date()): Promise<WebhookSecretState> {
  const [current] = await webhookSigningSecrets(db, shopId, now);
  const keyring = appKeyring();
  await db.shop.update({
    where: { id: shopId },
    data: {
      webhookSecretCiphertext: keyring.encrypt(newWebhookSecret(), aad(shopId, "current")),
      webhookSecretPreviousCiphertext: keyring.encrypt(current!, aad(shopId, "previous")),
      webhookSecretRotatedAt: now,
    },
  });
  return webhookSecretState(db, shopId, now);
}

function sign(secret: string, timestamp: number, payload: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
}

/** The header value: one v1 per secret (newest first). */
export function signatureHeader(secrets: readonly string[], payload: string, timestamp: number): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${sign(secret, timestamp, payload)}`)].join(",");
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
