import { createHash } from "node:crypto";

/**
 * A generated image's asset id, fixed by its generation and variant: every attempt at a variant
 * writes the same storage keys, so a run killed between storing the objects and writing the row
 * leaves nothing behind (the next attempt overwrites them, a failure deletes them by prefix).
 * Formatted as a UUID (version 8: custom), like the ids of other assets.
 */
export function generatedAssetId(generationId: string, variantIndex: number): string {
  const hex = createHash("sha256").update(`lightbox:generated:${generationId}:${variantIndex}`).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
