import type { Db } from "~/db.server";
import { env } from "~/env.server";
import { checkConfiguredModels, lastModelCheck, type ModelCheck } from "~/generation/check-models.server";
import { modelLineup } from "~/generation/lineup.server";
import type { ImageModelId } from "~/generation/models";
import { withTimeout } from "~/timeout";

/** With Lightbox's own Gemini key: the image models offered, retired since startup, and missing from the key's account. */
export type ModelsHealth = { offered: ImageModelId[]; retired: ImageModelId[]; missing: ImageModelId[]; checkedAt: string | null };

export type Health = { ok: boolean; database: "up" | "down"; geminiModels?: ModelsHealth };

/** The models.list check runs at startup; the health endpoint renews it in the background once it is this old. */
const MODEL_CHECK_MAX_AGE_MS = 60 * 60_000;

let running: Promise<ModelCheck> | undefined;

/**
 * Starts a models.list check of the configured image models (startup, and when the last one is
 * stale), or joins the one under way, so each check warns once. Not fatal.
 */
export function checkGeminiModels(): Promise<ModelCheck> | undefined {
  const { geminiApiKey, geminiBaseUrl, imageModels } = env();
  if (!geminiApiKey) return undefined;
  running ??= checkConfiguredModels({ apiKey: geminiApiKey, baseUrl: geminiBaseUrl, configured: imageModels.offered }).finally(() => {
    running = undefined;
  });
  return running;
}

function modelsHealth(): ModelsHealth | undefined {
  if (!env().geminiApiKey) return undefined;
  const last = lastModelCheck();
  if (!running && (!last || Date.now() - Date.parse(last.checkedAt) > MODEL_CHECK_MAX_AGE_MS)) void checkGeminiModels()?.catch(() => undefined);
  const lineup = modelLineup();
  return { offered: lineup.offered, retired: lineup.retired, missing: last?.missing ?? [], checkedAt: last?.checkedAt ?? null };
}

/**
 * The app is healthy when the database answers a trivial query within a second. The Gemini models
 * are reported, never judged: a missing model fails generations with it, not the whole app.
 */
export async function checkHealth(db: Db, timeoutMs = 1_000): Promise<Health> {
  const geminiModels = modelsHealth();
  const extra = geminiModels ? { geminiModels } : {};
  try {
    await withTimeout(db.$queryRaw`SELECT 1`, timeoutMs, "The database");
    return { ok: true, database: "up", ...extra };
  } catch {
    return { ok: false, database: "down", ...extra };
  }
}
