// The Shopify products list's bulk action ("Generate images with Lightbox", the admin UI extension
// in extensions/bulk-generate): a batch over the selected products, previewed first. The request is
// what the extension knows (ids, a preset, review or publish); everything else is the batch
// defaults, and the batch domain validates and prices it like any other batch.
import { previewBatch, createBatch, type BatchPreview } from "~/batches/create-batch.server";
import type { BATCH_RESULT_ACTIONS, BatchInput } from "~/batches/batch-input";
import type { Db } from "~/db.server";
import { DEFAULT_PRESET_ID, PRESETS } from "~/generation/presets";
import type { PacedClient } from "~/shopify-admin/paced-client.server";

import type { BulkActionRequest } from "./bulk-action";

export type BulkActionPreset = { id: string; name: string; description: string };

export type BulkActionPreview = BatchPreview & {
  settings: { presetId: string; onResult: (typeof BATCH_RESULT_ACTIONS)[number] };
  presets: BulkActionPreset[];
};

export type BulkActionStarted = {
  batch: { id: string; totalItems: number; onResult: string; status: string };
  /** The batch's review page inside the app. */
  reviewPath: string;
};

function batchInput(request: BulkActionRequest): BatchInput {
  return {
    selection: { kind: "products", productIds: request.productIds },
    settings: { presetId: request.presetId ?? DEFAULT_PRESET_ID, onResult: request.onResult ?? "review" },
    origin: "bulk_action",
  };
}

const presets: BulkActionPreset[] = PRESETS.map(({ id, name, description }) => ({ id, name, description }));

/** The cost preview for the selection, nothing written, with the presets to choose from. */
export async function previewBulkAction(db: Db, client: PacedClient, shopId: string, request: BulkActionRequest): Promise<BulkActionPreview> {
  const preview = await previewBatch(db, client, shopId, batchInput(request));
  return { ...preview, settings: { presetId: request.presetId ?? DEFAULT_PRESET_ID, onResult: request.onResult ?? "review" }, presets };
}

/** Starts the batch (origin "bulk_action"); its review page is where the merchant goes next. */
export async function startBulkAction(db: Db, client: PacedClient, shopId: string, request: BulkActionRequest): Promise<BulkActionStarted> {
  const { batch } = await createBatch(db, client, shopId, batchInput(request));
  return {
    batch: { id: batch.id, totalItems: batch.totalItems, onResult: batch.onResult, status: batch.status },
    reviewPath: `/app/batches/${batch.id}`,
  };
}
