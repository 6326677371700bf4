import { z } from "zod";

import type { Db } from "~/db.server";
import { AppError } from "~/errors";

import { generateToken, DISPLAY_PREFIX_LENGTH } from "./format";
import { hashToken } from "./hash.server";
import { normaliseScopes, TOKEN_SCOPES } from "./scopes";
import { tokenView, type TokenView } from "./token-view";

/** Active (not revoked, not expired) tokens a shop may hold at once. */
export const MAX_ACTIVE_TOKENS = 50;
/** Every token expires: at most this far ahead (there is no "never", docs/decisions/0073-*). */
export const MAX_TOKEN_LIFETIME_DAYS = 366;
/** The largest daily credit cap a token can have (a day's worth of a busy catalogue). */
export const MAX_DAILY_CREDIT_CAP = 100_000;
/** When the creator does not choose. */
export const DEFAULT_TOKEN_LIFETIME_DAYS = 90;

const inputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the token a name, e.g. the script or agency that uses it")
    .max(100, "Keep the name under 100 characters"),
  scopes: z
    .array(z.enum(TOKEN_SCOPES, { error: `Scopes must be ${TOKEN_SCOPES.join(" or ")}` }))
    .min(1, "Choose at least one scope (read, or write for uploads, generations and deletes)"),
  expiresAt: z.date({ error: `Choose when the token expires: tokens live at most ${MAX_TOKEN_LIFETIME_DAYS} days` }).optional(),
  dailyCreditCap: z
    .number({ error: "The daily credit cap must be a whole number" })
    .int("The daily credit cap must be a whole number")
    .min(1, "A daily credit cap must be at least 1 (leave it empty for no cap)")
    .max(MAX_DAILY_CREDIT_CAP, `A daily credit cap can be at most ${MAX_DAILY_CREDIT_CAP}`)
    .nullable()
    .optional(),
});

/** `expiresAt` defaults to DEFAULT_TOKEN_LIFETIME_DAYS from now; a token that never expires cannot be made. */
export type CreateTokenInput = { shopId: string; name: string; scopes: string[]; expiresAt?: Date; dailyCreditCap?: number | null; now?: Date };

/**
 * Mints a token for the shop. The plaintext is returned here and never again: only its HMAC
 * and a short display prefix are stored.
 */
export async function createApiToken(db: Db, input: CreateTokenInput): Promise<{ token: TokenView; plaintext: string }> {
  const now = input.now ?? new Date();
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "body")] ??= issue.message;
    throw new AppError("UNPROCESSABLE", `Check the token: ${Object.values(fieldErrors).join("; ")}.`, { fieldErrors });
  }
  const { name, scopes, dailyCreditCap } = parsed.data;
  const expiresAt = parsed.data.expiresAt ?? new Date(now.getTime() + DEFAULT_TOKEN_LIFETIME_DAYS * 86_400_000);
  if (expiresAt.getTime() <= now.getTime()) {
    throw new AppError("UNPROCESSABLE", "The expiry date must be in the future.", { fieldErrors: { expiresAt: "Must be in the future" } });
  }
  if (expiresAt.getTime() > now.getTime() + MAX_TOKEN_LIFETIME_DAYS * 86_400_000) {
    throw new AppError("UNPROCESSABLE", "A token can live at most one year; create a new one when it expires.", {
      fieldErrors: { expiresAt: "At most one year ahead" },
    });
  }
  const active = await db.apiToken.count({
    where: { shopId: input.shopId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
  });
  if (active >= MAX_ACTIVE_TOKENS) {
    throw new AppError("UNPROCESSABLE", `A shop can hold at most ${MAX_ACTIVE_TOKENS} active tokens. Revoke tokens you no longer use.`);
  }
  const plaintext = generateToken();
  const row = await db.apiToken.create({
    data: {
      shopId: input.shopId,
      name,
      scopes: normaliseScopes(scopes),
      prefix: plaintext.slice(0, DISPLAY_PREFIX_LENGTH),
      hash: hashToken(plaintext),
      expiresAt,
      dailyCreditCap: dailyCreditCap ?? null,
      createdAt: now,
    },
  });
  return { token: tokenView(row, now), plaintext };
}
