// Previewing and starting a batch. Starting writes the batch and one item per product in one
// transaction (a batch is rows, never one giant job), then starts the first few products.
import { InsufficientCreditsError } from "~/credits/errors";
import type { Db } from "~/db.server";
import { isUniqueViolation } from "~/db/unique-violation";
import { AppError } from "~/errors";
import type { Batch } from "~/generated/prisma/client";
import { chooseModel } from "~/generation/lineup.server";
import { IMAGE_MODELS } from "~/generation/models";
import { parseOrThrow } from "~/generation/parse-input";
import type { PacedClient } from "~/shopify-admin/paced-client.server";

import { advanceBatch } from "./advance-batch.server";
import { batchInputSchema, describeSelection, type BatchInput } from "./batch-input";
import { quoteBatch, type BatchQuote } from "./quote-batch.server";
import { selectProducts } from "./select-products.server";

export type BatchPreview = { selection: string; quote: BatchQuote };

async function prepare(db: Db, client: PacedClient, shopId: string, raw: BatchInput) {
  const parsed = parseOrThrow(batchInputSchema, raw);
  const model = chooseModel(parsed.settings.model);
  const capabilities = IMAGE_MODELS[model];
  if (!(capabilities.resolutions as readonly string[]).includes(parsed.settings.resolution)) {
    throw new AppError("UNPROCESSABLE", `${capabilities.label} does not offer ${parsed.settings.resolution}; choose ${capabilities.resolutions.join(" or ")}.`, { fieldErrors: { resolution: "Unsupported" } });
  }
  const input = { ...parsed, settings: { ...parsed.settings, model } };
  const selected = await selectProducts(client, db, shopId, input.selection);
  const quote = await quoteBatch(db, shopId, input.settings, selected);
  return { input, selected, quote };
}

/** The cost preview and estimate, with nothing written. */
export async function previewBatch(db: Db, client: PacedClient, shopId: string, raw: BatchInput): Promise<BatchPreview> {
  const { input, quote } = await prepare(db, client, shopId, raw);
  return { selection: describeSelection(input.selection), quote };
}

export async function createBatch(
  db: Db,
  client: PacedClient,
  shopId: string,
  raw: BatchInput,
  options: {
    /** The API token starting it: its daily credit cap then holds for every product. */
    tokenId?: string;
    /**
     * An API request's Idempotency-Key record: the batch's id is derived from it, so a retry of a
     * request whose first attempt committed (its response lost to a crash) gets that batch back
     * instead of starting the catalogue twice.
     */
    idempotencyId?: string;
  } = {},
): Promise<{ batch: Batch; /** null when an Idempotency-Key retry met the batch its first attempt made */ quote: BatchQuote | null }> {
  const id = options.idempotencyId ? `idem_${options.idempotencyId}` : undefined;
  if (id) {
    // Before quoting again: the first attempt's products may already have spent the balance.
    const made = await db.batch.findFirst({ where: { id, shopId } });
    if (made) {
      // It committed, and may have died before starting the first products.
      await advanceBatch(db, made.id);
      return { batch: made, quote: null };
    }
  }
  const { input, selected, quote } = await prepare(db, client, shopId, raw);
  if (quote.products === 0) {
    throw new AppError(
      "UNPROCESSABLE",
      quote.matched === 0
        ? "No products match this selection. Choose products or loosen the filters."
        : `None of the ${quote.matched} products has a photo to start from. Add product photos in Shopify first.`,
    );
  }
  if (quote.covered === 0) throw new InsufficientCreditsError(quote.pricePerProduct, quote.balance);
  const { settings } = input;
  const products = selected.filter((product) => product.hasImage);
  const write = db.$transaction(async (tx) => {
    const batch = await tx.batch.create({
      data: {
        ...(id ? { id } : {}),
        shopId,
        selection: describeSelection(input.selection),
        presetId: settings.presetId ?? null,
        customPrompt: settings.customPrompt ?? null,
        model: settings.model,
        resolution: settings.resolution,
        aspectRatio: settings.aspectRatio,
        variants: settings.variants,
        onResult: settings.onResult,
        placement: settings.placement,
        pricePerItem: quote.pricePerProduct,
        provider: quote.provider,
        usesOwnKey: quote.billing === "own_key",
        totalItems: products.length,
        origin: input.origin,
        tokenId: options.tokenId ?? null,
        webhookUrl: settings.webhookUrl ?? null,
      },
    });
    await tx.batchItem.createMany({
      data: products.map((product, position) => ({
        batchId: batch.id,
        shopId,
        position,
        productId: product.id,
        productTitle: product.title,
        imageUrl: product.imageUrl,
      })),
    });
    return batch;
  });
  const batch = await write.catch(async (error: unknown) => {
    // Two retries of one key at once: the second meets the first's row.
    const made = id && isUniqueViolation(error) ? await db.batch.findFirst({ where: { id, shopId } }) : null;
    if (made) return made;
    throw error;
  });
  await advanceBatch(db, batch.id);
  return { batch, quote };
}
