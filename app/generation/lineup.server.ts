// Which image models this process offers: the configured lineup (GEMINI_MODELS, GEMINI_DEFAULT_MODEL,
// GEMINI_PREMIUM_MODEL, read by app/env.server.ts) minus the models Gemini answered "not found" for
// since the process started (retired: Google shut them down). Every picker, the API and batches ask
// here; the table of what a model can do stays app/generation/models.ts. The retired set lives in
// this process only (each worker learns on its own first 404; a restart forgets, ADR 0090).
import { env } from "~/env.server";
import { AppError } from "~/errors";

import { IMAGE_MODELS, isImageModelId, type ImageModelId, type ModelTier } from "./models";

const retired = new Set<ImageModelId>();

export type ModelLineup = {
  /** Offered now, in the configured order. */
  offered: ImageModelId[];
  /** What a generation gets when none is chosen: the configured default, or the first offered model if that one retired. */
  default: ImageModelId;
  premium: ImageModelId | undefined;
  /** Configured but answered "not found" by Gemini since this process started. */
  retired: ImageModelId[];
};

export function modelLineup(): ModelLineup {
  const configured = env().imageModels;
  const offered = configured.offered.filter((id) => !retired.has(id));
  const fallback = offered[0] ?? configured.default;
  return {
    offered,
    default: retired.has(configured.default) ? fallback : configured.default,
    premium: configured.premium && !retired.has(configured.premium) ? configured.premium : undefined,
    retired: [...retired],
  };
}

/** Gemini said the model does not exist (HTTP 404 NOT_FOUND): stop offering it in this process. */
export function retireModel(model: string): void {
  if (!isImageModelId(model) || retired.has(model)) return;
  retired.add(model);
  console.warn(`[lightbox] Gemini answered "not found" for the image model ${model}: no longer offered until the process restarts. Remove it from GEMINI_MODELS.`);
}

const processStartedAt = Date.now();

/**
 * A generation that failed because Gemini did not know its model, seen by this process (the web
 * process showing the Studio, when a separate worker ran the job): retire the model here too.
 * Only failures since this process started count, so a restart offers the model again.
 */
export function learnFromOutcome(generation: { status: string; errorCode: string | null; model: string; finishedAt: Date | null }): void {
  if (generation.status !== "failed" || generation.errorCode !== "MODEL_NOT_FOUND") return;
  if (!generation.finishedAt || generation.finishedAt.getTime() < processStartedAt) return;
  retireModel(generation.model);
}

/** Tests: offer every configured model again (as a restart does). */
export function forgetRetiredModels(): void {
  retired.clear();
}

export type OfferedModel = { id: ImageModelId; label: string; tier: ModelTier; resolutions: string[]; isDefault: boolean; isPremium: boolean };

/** The pickers' options: offered models with what they can do, the default first, the premium one (GEMINI_PREMIUM_MODEL) marked. */
export function offeredModels(): OfferedModel[] {
  const lineup = modelLineup();
  const ordered = [lineup.default, ...lineup.offered.filter((id) => id !== lineup.default)].filter((id) => lineup.offered.includes(id));
  return ordered.map((id) => {
    const m = IMAGE_MODELS[id];
    const isPremium = id === lineup.premium;
    return { id, label: isPremium ? `${m.label} (premium)` : m.label, tier: m.tier, resolutions: [...m.resolutions], isDefault: id === lineup.default, isPremium };
  });
}

function label(id: ImageModelId): string {
  return `${IMAGE_MODELS[id].label} (${id})`;
}

/** "Pick Gemini 3.5 Flash Image (gemini-3.5-flash-image) instead." or the list when the default is the one gone. */
export function alternativeTo(model: string): string {
  const lineup = modelLineup();
  const others = lineup.offered.filter((id) => id !== model);
  if (others.length === 0) return "No other image model is offered right now; contact support.";
  const pick = others.includes(lineup.default) ? lineup.default : others[0]!;
  return `Pick ${label(pick)} instead${others.length > 1 ? ` (offered: ${others.join(", ")})` : ""}.`;
}

/**
 * The model a new generation or batch uses: the one asked for when this process offers it, the
 * default when none was asked for. Anything else is a 422 that names the offered models.
 */
export function chooseModel(requested: string | undefined | null): ImageModelId {
  const lineup = modelLineup();
  if (!requested) {
    if (lineup.offered.length === 0) throw new AppError("UNPROCESSABLE", "No Gemini image model is available right now. Try again later or contact support.");
    return lineup.default;
  }
  if (isImageModelId(requested) && lineup.offered.includes(requested)) return requested;
  const offered = lineup.offered.join(", ");
  const message = !isImageModelId(requested)
    ? `${requested} is not an image model Lightbox offers. Use one of: ${offered}.`
    : retired.has(requested)
      ? `${label(requested)} is no longer available: Google has retired it. ${alternativeTo(requested)}`
      : `${label(requested)} is not offered here${IMAGE_MODELS[requested].deprecated ? " (Google has deprecated it)" : ""}. Use one of: ${offered}.`;
  throw new AppError("UNPROCESSABLE", message, { fieldErrors: { model: message } });
}
