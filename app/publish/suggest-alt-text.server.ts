// Alt text for an image Lightbox is about to publish: the shop's image provider writes it (Gemini
// looks at the image; the offline provider fills a plain template). Offered in the publish dialog
// for the merchant to edit, and written by the publish job when none was given.
import { displayRendition } from "~/assets/display-rendition";
import { getAsset } from "~/assets/get-asset.server";
import type { Db } from "~/db.server";
import { providerChoice, providerFor } from "~/generation/provider-for-shop.server";
import { ALT_TEXT_MAX_LENGTH, truncateAtWord } from "~/generation/provider";
import { readObjectBytes } from "~/storage/index.server";
import type { ObjectStorage } from "~/storage/types";

import { meterAltText } from "./alt-text-meter.server";
import { PublishError } from "./errors";

async function readDisplay(storage: ObjectStorage, asset: Parameters<typeof displayRendition>[0]) {
  const display = displayRendition(asset);
  const bytes = await readObjectBytes(storage, display.key);
  if (!bytes) throw new PublishError("The image is missing from storage. Upload or generate it again.", { retryable: false });
  return { bytes, mimeType: display.mimeType };
}

/**
 * `overLimit`: what happens once the shop's hourly Gemini alt texts are used up (alt-text-meter):
 * "refuse" (the publish dialog: a 429 the merchant reads) or "offline" (the publish job: the plain
 * template, so publishing never fails over it).
 */
export async function suggestAltText(
  db: Db,
  storage: ObjectStorage,
  input: { shopId: string; assetId: string; productTitle: string; signal?: AbortSignal; overLimit?: "refuse" | "offline" },
): Promise<string> {
  const asset = await getAsset(db, input.shopId, input.assetId);
  const generation = asset.generationId
    ? await db.generation.findUnique({ where: { id: asset.generationId }, select: { presetId: true } })
    : null;
  const request = {
    image: await readDisplay(storage, asset),
    productTitle: input.productTitle,
    presetId: generation?.presetId ?? undefined,
  };
  let choice = await providerChoice(db, input.shopId);
  if (choice.kind === "gemini" && !choice.usesOwnKey) {
    try {
      await meterAltText(input.shopId);
    } catch (error) {
      if (input.overLimit !== "offline") throw error;
      choice = { kind: "offline", usesOwnKey: false, free: true };
    }
  }
  let text: string;
  try {
    const provider = await providerFor(db, input.shopId, choice);
    text = await provider.altText(request, { signal: input.signal });
  } catch (error) {
    if (choice.kind === "offline") throw error;
    // Gemini unavailable: a plain description still beats an empty alt attribute.
    const offline = await providerFor(db, input.shopId, { kind: "offline", usesOwnKey: false, free: true });
    text = await offline.altText(request);
  }
  return truncateAtWord(text.replace(/\s+/g, " ").trim(), ALT_TEXT_MAX_LENGTH);
}
