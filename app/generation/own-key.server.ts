// Bring your own key: a shop's own Gemini API key, validated with a cheap call, stored
// encrypted (bound to the shop), shown masked. Generations with it debit no credits.
import { appKeyring } from "~/crypto/app-keyring.server";
import type { Db } from "~/db.server";
import { env } from "~/env.server";
import { AppError } from "~/errors";

import { validateApiKey } from "./gemini.server";
import { modelLineup } from "./lineup.server";

const aad = (shopId: string) => `shop:${shopId}:gemini-api-key`;

export type KeyValidator = (apiKey: string) => Promise<{ status: "valid" | "invalid" | "unknown"; error?: { message: string } }>;

const defaultValidator: KeyValidator = (apiKey) => validateApiKey(apiKey, { baseUrl: env().geminiBaseUrl, model: modelLineup().default });

export async function saveOwnGeminiKey(db: Db, shopId: string, rawKey: string, validate: KeyValidator = defaultValidator) {
  const apiKey = rawKey.trim();
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(apiKey)) {
    throw new AppError("UNPROCESSABLE", "That doesn't look like a Gemini API key. Copy it again from Google AI Studio (API keys).", {
      fieldErrors: { apiKey: "Invalid format" },
    });
  }
  const check = await validate(apiKey);
  if (check.status === "invalid") {
    throw new AppError("UNPROCESSABLE", "Google rejected this API key. Check that it is active and has the Gemini API enabled.", {
      fieldErrors: { apiKey: "Rejected by Google" },
    });
  }
  if (check.status === "unknown") {
    throw new AppError("UPSTREAM", "Google could not be reached to check the key. Try again in a minute.");
  }
  await db.shop.update({
    where: { id: shopId },
    data: {
      geminiKeyCiphertext: appKeyring().encrypt(apiKey, aad(shopId)),
      geminiKeyHint: apiKey.slice(-4),
      geminiKeySavedAt: new Date(),
    },
  });
}

export async function removeOwnGeminiKey(db: Db, shopId: string) {
  await db.shop.update({
    where: { id: shopId },
    data: { geminiKeyCiphertext: null, geminiKeyHint: null, geminiKeySavedAt: null },
  });
}

/** The shop's own key in plaintext, for one provider call; never log or return it. */
export async function loadOwnGeminiKey(db: Db, shopId: string): Promise<string | null> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { geminiKeyCiphertext: true } });
  return shop?.geminiKeyCiphertext ? appKeyring().decrypt(shop.geminiKeyCiphertext, aad(shopId)) : null;
}
