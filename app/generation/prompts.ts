// Prompt building. Every prompt carries the keep-the-product clause and the commercial
// photo clause; merchant text is cleaned and length-limited before it goes anywhere.

import { GenerationError } from "./errors";
import { type AspectRatio, parseAspectRatio } from "./models";
import { type PresetId, getPreset } from "./presets";

export const MAX_CUSTOM_PROMPT_LENGTH = 1000;
export const MAX_REFINE_INSTRUCTION_LENGTH = 500;
export const MAX_PRODUCT_TITLE_LENGTH = 150;

export const KEEP_PRODUCT_CLAUSE =
  "Keep the product itself exactly as it appears in the source photo: the same shape, proportions, colours, materials, label text, logo and packaging details. Do not redraw, restyle, translate or add any text or branding on it, and do not add or remove parts of the product.";

export const PHOTO_CLAUSE =
  "The result must be a photorealistic commercial product photograph: natural lighting and shadows consistent with the scene, sharp focus on the product, and no added text, watermarks or borders.";

export interface BuildPromptInput {
  /** A style preset; with `customPrompt` as well, the custom text adds direction. */
  presetId?: PresetId;
  /** Merchant's own scene description. */
  customPrompt?: string;
  productTitle?: string;
  aspectRatio: AspectRatio;
}

type CleanResult = { ok: true; value: string } | { ok: false; message: string };

/** Strips control characters, collapses whitespace, trims, and checks length. */
export function cleanUserText(text: string, max: number, what: string): CleanResult {
  const value = text
    .replace(/[\p{Cc}\p{Cf}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!value) return { ok: false, message: `The ${what} is empty.` };
  if (value.length > max) {
    return {
      ok: false,
      message: `The ${what} is ${value.length} characters long; shorten it to ${max} characters or fewer.`,
    };
  }
  return { ok: true, value };
}

/** For forms: the cleaned prompt, or a message saying what to fix. */
export function validateCustomPrompt(text: string): CleanResult {
  return cleanUserText(text, MAX_CUSTOM_PROMPT_LENGTH, "prompt");
}

function cleanOrThrow(text: string, max: number, what: string): string {
  const result = cleanUserText(text, max, what);
  if (!result.ok) throw new GenerationError("INVALID_INPUT", { message: result.message });
  return result.value;
}

function productReference(title: string | undefined): string {
  if (!title) return "the product";
  const cleaned = title
    .replace(/[\p{Cc}\p{Cf}]+/gu, " ")
    .replace(/\s+/g, " ")
    .replace(/"/g, "'")
    .trim()
    .slice(0, MAX_PRODUCT_TITLE_LENGTH)
    .trim();
  return cleaned ? `the product ("${cleaned}")` : "the product";
}

export function framingClause(aspectRatio: AspectRatio): string {
  const { w, h } = parseAspectRatio(aspectRatio);
  const shape = w === h ? "square" : w > h ? "landscape" : "portrait";
  return `Compose for a ${aspectRatio} ${shape} frame: the whole product visible and centred, with comfortable space around it.`;
}

export function buildPrompt(input: BuildPromptInput): string {
  const product = productReference(input.productTitle);
  const sentences: string[] = [];
  const preset = input.presetId ? getPreset(input.presetId) : undefined;
  if (input.presetId && !preset) {
    throw new GenerationError("INVALID_INPUT", {
      message: `Unknown style preset "${input.presetId}". Pick a preset from the list.`,
    });
  }
  const custom =
    input.customPrompt !== undefined
      ? cleanOrThrow(input.customPrompt, MAX_CUSTOM_PROMPT_LENGTH, "prompt")
      : undefined;
  if (!preset && !custom) {
    throw new GenerationError("INVALID_INPUT", {
      message: "Pick a style preset or write a prompt.",
    });
  }

  sentences.push(
    `Create a new product photo of ${product} shown in the attached source photo.`,
  );
  if (preset) sentences.push(preset.scene.replaceAll("{product}", product));
  if (custom) {
    sentences.push(
      preset ? `Additional direction from the merchant: ${custom}` : `Scene: ${custom}`,
    );
  }
  sentences.push(framingClause(input.aspectRatio), KEEP_PRODUCT_CLAUSE, PHOTO_CLAUSE);
  return sentences.join("\n\n");
}

/** Prompt for editing a previous output (sent as the source image). */
export function buildRefinePrompt(instruction: string): string {
  const text = cleanOrThrow(instruction, MAX_REFINE_INSTRUCTION_LENGTH, "refine instruction");
  return [
    `Edit the attached product photo as follows: ${text}`,
    "Change only what this instruction asks for; keep the rest of the image, including the composition and framing, as it is.",
    KEEP_PRODUCT_CLAUSE,
    PHOTO_CLAUSE,
  ].join("\n\n");
}
