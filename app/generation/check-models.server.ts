// With Lightbox's own Gemini key configured: ask Google which models the key's account has
// (models.list, free, no tokens) and warn about every configured image model it lacks, so a
// retired or mistyped id in GEMINI_MODELS shows in the log at startup, not on a merchant's first
// generation. Never fatal (Google may be briefly unreachable; the key may be fine), never logs the key.
import { listModelIds } from "./gemini.server";
import type { ImageModelId } from "./models";

export type ModelCheck =
  | { status: "ok"; missing: []; checkedAt: string }
  | { status: "missing"; missing: ImageModelId[]; checkedAt: string }
  /** Google could not be asked (network, key refused, timeout): nothing known. */
  | { status: "unknown"; missing: []; checkedAt: string; error: string };

let lastCheck: ModelCheck | undefined;

/** The last check's outcome in this process (the health endpoint shows it). */
export function lastModelCheck(): ModelCheck | undefined {
  return lastCheck;
}

export async function checkConfiguredModels(options: {
  apiKey: string;
  baseUrl?: string;
  configured: readonly ImageModelId[];
  timeoutMs?: number;
  warn?: (message: string) => void;
}): Promise<ModelCheck> {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const checkedAt = new Date().toISOString();
  let available: Set<string>;
  try {
    available = await listModelIds(options.apiKey, { baseUrl: options.baseUrl, timeoutMs: options.timeoutMs });
  } catch (error) {
    // The SDK's message is Google's error text (never the key, which travels in a header).
    const reason = error instanceof Error ? error.message.slice(0, 300) : String(error);
    warn(`[lightbox] could not check the configured Gemini image models (models.list failed): ${reason}`);
    lastCheck = { status: "unknown", missing: [], checkedAt, error: reason };
    return lastCheck;
  }
  const missing = options.configured.filter((id) => !available.has(id));
  for (const id of missing) {
    warn(`[lightbox] GEMINI_MODELS offers ${id}, but the Gemini API key's account does not list it (retired or not available to this account): generations with it will fail. Remove it from GEMINI_MODELS.`);
  }
  lastCheck = missing.length > 0 ? { status: "missing", missing, checkedAt } : { status: "ok", missing: [], checkedAt };
  return lastCheck;
}
