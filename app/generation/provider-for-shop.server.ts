// Which provider makes a shop's images: its own Gemini key (free), else Lightbox's Gemini key
// (costs credits), else the offline compositor (no AI, free, labelled so in the UI).
import type { Db } from "~/db.server";
import { env } from "~/env.server";

import { GenerationError } from "./errors";
import { createGeminiProvider } from "./gemini.server";
import { createOfflineProvider } from "./offline.server";
import { loadOwnGeminiKey } from "./own-key.server";
import type { ImageProvider, ProviderKind } from "./provider";

export type ProviderChoice = { kind: ProviderKind; usesOwnKey: boolean; free: boolean };

export async function providerChoice(db: Db, shopId: string): Promise<ProviderChoice> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { geminiKeyCiphertext: true } });
  if (shop?.geminiKeyCiphertext) return { kind: "gemini", usesOwnKey: true, free: true };
  if (env().geminiApiKey) return { kind: "gemini", usesOwnKey: false, free: false };
  return { kind: "offline", usesOwnKey: false, free: true };
}

/** Test hook: replace how providers are built (e.g. shorter retry budgets). */
let override: ((apiKey: string | null) => ImageProvider) | undefined;
export function setProviderFactory(factory: typeof override) {
  override = factory;
}

/** Lightbox's own key serves every shop without one: one client for all of them. */
let serviceProvider: { apiKey: string; baseUrl: string | undefined; provider: ImageProvider } | undefined;
function serviceGemini(apiKey: string, baseUrl: string | undefined): ImageProvider {
  if (serviceProvider?.apiKey !== apiKey || serviceProvider.baseUrl !== baseUrl) {
    serviceProvider = { apiKey, baseUrl, provider: createGeminiProvider({ apiKey, baseUrl, requestTimeoutMs: env().geminiRequestTimeoutMs }) };
  }
  return serviceProvider.provider;
}

export async function providerFor(db: Db, shopId: string, choice: ProviderChoice): Promise<ImageProvider> {
  if (choice.kind === "offline") return override?.(null) ?? createOfflineProvider();
  const apiKey = choice.usesOwnKey ? await loadOwnGeminiKey(db, shopId) : env().geminiApiKey;
  // Asked for Gemini (and maybe charged for it), never quietly given the offline compositor.
  if (!apiKey) {
    throw new GenerationError("INVALID_API_KEY", {
      retryable: false,
      message: choice.usesOwnKey
        ? "Your own Gemini API key was removed before this generation ran, so nothing was made. Add the key again in Settings, or generate with Lightbox credits."
        : "Gemini is not available right now (this Lightbox server has no Gemini key), so nothing was made and your credits were refunded. Try again later.",
    });
  }
  if (override) return override(apiKey);
  // A shop's own key gets its own client for this job only (it is never kept in memory longer).
  return choice.usesOwnKey
    ? createGeminiProvider({ apiKey, baseUrl: env().geminiBaseUrl, requestTimeoutMs: env().geminiRequestTimeoutMs })
    : serviceGemini(apiKey, env().geminiBaseUrl);
}
