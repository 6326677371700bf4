// What the review page and the API show of a batch: its settings, counts per state, progress with
// an estimate, and per product the source photo beside the result(s).
import type { Db } from "~/db.server";
import { env } from "~/env.server";
import { notFound } from "~/errors";
import { afterKeyset, keysetCursor, pageSize } from "~/db/keyset";
import type { Batch, BatchItem, Prisma } from "~/generated/prisma/client";
import { fidelityOf, imageView, typicalMsPerImage, type ImageView, type OutputView } from "~/generation/generation-view.server";
import { PRESETS } from "~/generation/presets";
import type { ObjectStorage } from "~/storage/types";

import { estimatedSeconds } from "./pacing";

export type BatchCounts = {
  total: number;
  waiting: number;
  /** Being started or made now. */
  working: number;
  review: number;
  publishing: number;
  published: number;
  rejected: number;
  failed: number;
  cancelled: number;
};

export type BatchItemView = {
  id: string;
  position: number;
  productId: string;
  productTitle: string;
  productImageUrl: string | null;
  status: BatchItem["status"];
  attempt: number;
  errorMessage: string | null;
  /** The generation of the item's latest attempt. */
  generationId: string | null;
  source: ImageView | null;
  /** With each result's fidelity check, once it has landed. */
  outputs: OutputView[];
};

export type BatchSummary = {
  id: string;
  status: Batch["status"];
  selection: string;
  style: string;
  model: string;
  resolution: string;
  aspectRatio: string;
  variants: number;
  onResult: string;
  placement: string;
  pricePerItem: number;
  billing: "credits" | "own_key" | "offline";
  stopReason: string | null;
  origin: string;
  webhookUrl: string | null;
  createdAt: string;
  finishedAt: string | null;
  counts: BatchCounts;
  /** Products finished (made, published, rejected, failed or cancelled) out of all, in percent. */
  progress: number;
  /** Seconds the rest should take at the current pace; null when nothing is left to make. */
  secondsLeft: number | null;
};

export type BatchView = BatchSummary & { items: BatchItemView[] };

const styleOf = (batch: Pick<Batch, "presetId" | "customPrompt">) =>
  PRESETS.find((preset) => preset.id === batch.presetId)?.name ?? (batch.customPrompt ? `“${batch.customPrompt.slice(0, 60)}”` : "Custom prompt");

function countsOf(rows: Array<{ status: BatchItem["status"]; _count: { _all: number } }>): BatchCounts {
  const n = (...states: BatchItem["status"][]) => rows.filter((row) => states.includes(row.status)).reduce((sum, row) => sum + row._count._all, 0);
  return {
    total: rows.reduce((sum, row) => sum + row._count._all, 0),
    waiting: n("waiting"),
    working: n("starting", "generating"),
    review: n("review"),
    publishing: n("publishing"),
    published: n("published"),
    rejected: n("rejected"),
    failed: n("failed"),
    cancelled: n("cancelled"),
  };
}

async function summarise(db: Db, batch: Batch, counts: BatchCounts): Promise<BatchSummary> {
  const finished = counts.review + counts.published + counts.rejected + counts.failed + counts.cancelled;
  const left = counts.waiting + counts.working;
  const secondsLeft =
    left > 0 && batch.status === "running"
      ? estimatedSeconds({
          provider: batch.provider,
          imagesPerMinute: batch.provider === "gemini" ? env().geminiImagesPerMinute : null,
          typicalMsPerImage: await typicalMsPerImage(db, batch),
          variants: batch.variants,
          jobConcurrency: env().jobConcurrency,
          products: left,
        })
      : null;
  return {
    id: batch.id,
    status: batch.status,
    selection: batch.selection,
    style: styleOf(batch),
    model: batch.model,
    resolution: batch.resolution,
    aspectRatio: batch.aspectRatio,
    variants: batch.variants,
    onResult: batch.onResult,
    placement: batch.placement,
    pricePerItem: batch.pricePerItem,
    billing: batch.provider === "offline" ? "offline" : batch.usesOwnKey ? "own_key" : "credits",
    stopReason: batch.stopReason,
    origin: batch.origin,
    webhookUrl: batch.webhookUrl,
    createdAt: batch.createdAt.toISOString(),
    finishedAt: batch.finishedAt?.toISOString() ?? null,
    counts,
    progress: counts.total > 0 ? Math.floor((100 * finished) / counts.total) : 100,
    secondsLeft,
  };
}

export async function batchView(db: Db, storage: ObjectStorage, shopId: string, batchId: string): Promise<BatchView> {
  const batch = await db.batch.findFirst({ where: { id: batchId, shopId } });
  if (!batch) throw notFound("Batch");
  const items = await db.batchItem.findMany({ where: { batchId }, orderBy: { position: "asc" } });
  const generationIds = items.flatMap((item) => (item.generationId ? [item.generationId] : []));
  const sourceIds = items.flatMap((item) => (item.sourceAssetId ? [item.sourceAssetId] : []));
  const [sources, outputs] = await Promise.all([
    db.asset.findMany({ where: { shopId, id: { in: sourceIds } } }),
    db.asset.findMany({ where: { shopId, generationId: { in: generationIds } }, orderBy: { variantIndex: "asc" } }),
  ]);
  const sourceById = new Map(sources.map((asset) => [asset.id, asset]));
  const checks = outputs.length > 0 ? await fidelityOf(db, shopId, outputs.map((o) => o.id)) : new Map();
  const byStatus = new Map<BatchItem["status"], number>();
  for (const item of items) byStatus.set(item.status, (byStatus.get(item.status) ?? 0) + 1);
  const counts = countsOf([...byStatus].map(([status, n]) => ({ status, _count: { _all: n } })));
  return {
    ...(await summarise(db, batch, counts)),
    items: await Promise.all(
      items.map(async (item) => {
        const source = item.sourceAssetId ? sourceById.get(item.sourceAssetId) : undefined;
        // Results show once made (a generation in progress may have stored its first variants).
        const shown = ["review", "publishing", "published", "rejected"].includes(item.status) ? outputs.filter((o) => o.generationId === item.generationId) : [];
        return {
          id: item.id,
          position: item.position,
          productId: item.productId,
          productTitle: item.productTitle,
          productImageUrl: item.imageUrl,
          status: item.status,
          attempt: item.attempt,
          errorMessage: item.errorMessage,
          generationId: item.generationId,
          source: source ? await imageView(storage, source) : null,
          outputs: await Promise.all(shown.map(async (asset) => ({ ...(await imageView(storage, asset)), fidelity: checks.get(asset.id) ?? null }))),
        };
      }),
    ),
  };
}

export const BATCH_PAGE_SIZE = 20;

/** The shop's batches, newest first, with their counts; `nextCursor` continues after the page. */
export async function listBatches(
  db: Db,
  shopId: string,
  input: { limit?: number; cursor?: string | null } = {},
): Promise<{ batches: BatchSummary[]; nextCursor: string | null }> {
  const limit = pageSize(input.limit, BATCH_PAGE_SIZE);
  const rows = await db.batch.findMany({
    where: { shopId, ...(afterKeyset(input.cursor) as Prisma.BatchWhereInput) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const batches = rows.slice(0, limit);
  const counts = await db.batchItem.groupBy({ by: ["batchId", "status"], where: { batchId: { in: batches.map((b) => b.id) } }, _count: { _all: true } });
  return {
    batches: await Promise.all(batches.map((batch) => summarise(db, batch, countsOf(counts.filter((row) => row.batchId === batch.id))))),
    nextCursor: rows.length > limit ? keysetCursor(batches.at(-1)) : null,
  };
}

/** One batch's summary (no items), or null when the shop has no such batch. */
export async function batchSummary(db: Db, shopId: string, batchId: string): Promise<BatchSummary | null> {
  const batch = await db.batch.findFirst({ where: { id: batchId, shopId } });
  if (!batch) return null;
  const rows = await db.batchItem.groupBy({ by: ["batchId", "status"], where: { batchId }, _count: { _all: true } });
  return summarise(db, batch, countsOf(rows));
}
