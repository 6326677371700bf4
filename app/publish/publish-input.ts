// What a publish request may ask for, validated once at the edge (admin form, API).
import { z } from "zod";

import { AppError } from "~/errors";

import { isMediaGid } from "~/products/ids";

/** Shopify stores at most 512 characters of alt text. */
export const MAX_ALT_TEXT_LENGTH = 512;
/** Images per publish request (one job). */
export const MAX_PUBLISH_ITEMS = 20;
/** A product holds at most 250 media: gallery positions are 0..249 (0 = the featured image). */
export const MAX_GALLERY_POSITION = 249;
/** Asset ids in a publish request (ours are 25 characters). */
export const MAX_ASSET_ID_LENGTH = 64;

const placementSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("append") }),
  /** 0-based position in the gallery; 0 = the featured image. */
  z.object({ kind: z.literal("position"), position: z.number().int().min(0).max(MAX_GALLERY_POSITION) }),
  /** Take this existing image's place and remove it from the gallery. */
  z.object({ kind: z.literal("replace"), mediaId: z.string().refine(isMediaGid, "Pick one of the product's images to replace.") }),
]);

export const publishItemSchema = z.object({
  assetId: z.string().min(1).max(MAX_ASSET_ID_LENGTH),
  altText: z
    .string()
    .max(MAX_ALT_TEXT_LENGTH, `Alt text can be at most ${MAX_ALT_TEXT_LENGTH} characters.`)
    .transform((text) => text.replace(/\s+/g, " ").trim())
    .optional(),
  placement: placementSchema.default({ kind: "append" }),
});

export type PublishItem = z.infer<typeof publishItemSchema>;
export type Placement = PublishItem["placement"];

const itemsSchema = z
  .array(publishItemSchema)
  .min(1, "Choose at least one image to publish.")
  .max(MAX_PUBLISH_ITEMS, `Publish at most ${MAX_PUBLISH_ITEMS} images at once.`)
  .superRefine((items, ctx) => {
    const assets = new Set<string>();
    const replaced = new Set<string>();
    for (const item of items) {
      if (assets.has(item.assetId)) ctx.addIssue({ code: "custom", message: "The same image was chosen twice." });
      assets.add(item.assetId);
      if (item.placement.kind === "replace") {
        if (replaced.has(item.placement.mediaId)) {
          ctx.addIssue({ code: "custom", message: "Two images can't replace the same product image." });
        }
        replaced.add(item.placement.mediaId);
      }
    }
  });

/** The publish dialog posts `items` as JSON; anything malformed becomes a 422 that says what to fix. */
export function parsePublishItems(raw: unknown): PublishItem[] {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AppError("UNPROCESSABLE", "The publish request could not be read. Reload the page and try again.");
    }
  }
  const parsed = itemsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("UNPROCESSABLE", issue?.message ?? "The publish request is not valid.");
  }
  return parsed.data;
}
