import { z } from "zod";

import type { Db } from "~/db.server";
import { AppError } from "~/errors";

import { generateToken, DISPLAY_PREFIX_LENGTH } from "./format";
import { hashToken } from "./hash.server";
import { normaliseScopes, TOKEN_SCOPES } from "./scopes";
import { tokenView, type TokenView } from "./token-view";

/** Active (not revoked, not expired) tokens a shop may hold at once. */
export const MAX_ACTIVE_TOKENS = 50;
export const MAX_TOKEN_LIFETIME_DAYS = 366;

const inputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the token a name, e.g. the script or agency that uses it")
    .max(100, "Keep the name under 100 characters"),
  scopes: z
    .array(z.enum(TOKEN_SCOPES, { message: `Scopes must be ${TOKEN_SCOPES.join(" or ")}` }))
    .min(1, "Choose at least one scope (read, or write for uploads, generations and deletes)"),
  expiresAt: z.date().nullable().optional(),
});

export type CreateTokenInput = { shopId: string; name: string; scopes: string[]; expiresAt?: Date | null; now?: Date };

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
    throw new AppError("UNPROCESSABLE", `Check the token: ${Object.values(fieldErrors).join("; ")}.`, fieldErrors);
  }
  const { name, scopes, expiresAt } = parsed.data;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    throw new AppError("UNPROCESSABLE", "The expiry date must be in the future.", { expiresAt: "Must be in the future" });
  }
  if (expiresAt && expiresAt.getTime() > now.getTime() + MAX_TOKEN_LIFETIME_DAYS * 86_400_000) {
    throw new AppError("UNPROCESSABLE", "A token can live at most one year; create a new one when it expires.", {
      expiresAt: "At most one year ahead",
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
      expiresAt: expiresAt ?? null,
      createdAt: now,
    },
  });
  return { token: tokenView(row, now), plaintext };
}
