import { randomUUID } from "node:crypto";

import type { Db } from "~/db.server";
import type { Asset, AssetKind, Prisma } from "~/generated/prisma/client";
import { ingestImage, type IngestedImage, type ImageLimits, type StoredFormat } from "~/images/index.server";
import { stampProvenance } from "~/images/provenance.server";
import { shopObjectKey, type ObjectKind } from "~/storage/index.server";
import type { ObjectStorage } from "~/storage/types";

import { generatedAssetId } from "./generated-asset-id";

export const OBJECT_KIND: Record<AssetKind, ObjectKind> = {
  upload: "uploads",
  product_photo: "product-photos",
  generated: "generated",
};

/** The formats originals are stored in, and their MIME types (the API documents the same list). */
export const STORED_MIME_TYPES = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" } as const satisfies Record<StoredFormat, string>;

export type IngestAssetInput = {
  db: Db;
  storage: ObjectStorage;
  shopId: string;
  kind: AssetKind;
  bytes: Buffer;
  filename?: string;
  declaredType?: string;
  productId?: string | null;
  sourceMediaId?: string | null;
  /** Generated images: stamped with IPTC DigitalSourceType = trainedAlgorithmicMedia. */
  provenance?: { creatorTool: string };
  /**
   * Generated images: their generation and variant (a re-run returns the stored asset).
   * `firstAttempt`: the job's first run, so no earlier run can have stored this variant.
   */
  generation?: { id: string; variantIndex: number; firstAttempt?: boolean };
  metadata?: Record<string, unknown>;
  limits?: Partial<ImageLimits>;
};

export type IngestAssetResult = { asset: Asset; deduplicated: boolean };

/** A display-only version of the merchant's file name (never used in a storage key). */
function displayName(filename: string | undefined): string | null {
  if (!filename) return null;
  const base = filename.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 200);
  return cleaned || null;
}

async function stamp(image: IngestedImage, provenance: { creatorTool: string }) {
  const stampOne = (r: IngestedImage["original"]) => stampProvenance(r.bytes, r.format, provenance);
  const [original, thumb] = await Promise.all([stampOne(image.original), image.thumb ? stampOne(image.thumb) : null]);
  // The display rendition may be the original itself: stamp it once.
  const display = image.display === image.original ? original : await stampOne(image.display);
  return { original, display, thumb };
}

/**
 * Validates, normalises and stores an image as an Asset: its objects, then one row. The same
 * bytes twice (per shop and kind) give back the first asset. If anything fails, objects already
 * written are deleted again: no row, no object is left half-written.
 *
 * A generated image gets no thumbnail here: its row's `thumbKey` is its original until the
 * thumbnail is first asked for (app/assets/thumbnail.server.ts, ADR 0098).
 */
export async function ingestAsset(input: IngestAssetInput): Promise<IngestAssetResult> {
  const { db, storage, shopId, kind } = input;
  const image = await ingestImage(input.bytes, {
    declaredType: input.declaredType,
    filename: input.filename,
    limits: input.limits,
    // Our own provider's output: stored as it came (no re-encode), stamped below, and shown
    // as it is when it fits the display size.
    trustedOriginal: kind === "generated",
    displayOriginal: kind === "generated",
    thumbnail: kind !== "generated",
  });
  // Uploads and product photos are stored once per content; a generation's variant once per run.
  const dedupeKey = kind === "generated" ? null : `${kind}:${image.meta.sha256}`;
  const findExisting = () =>
    input.generation
      ? db.asset.findUnique({
          where: { generationId_variantIndex: { generationId: input.generation.id, variantIndex: input.generation.variantIndex } },
        })
      : dedupeKey
        ? db.asset.findUnique({ where: { shopId_dedupeKey: { shopId, dedupeKey } } })
        : Promise.resolve(null);
  const existing = input.generation?.firstAttempt ? null : await findExisting();
  if (existing) return { asset: existing, deduplicated: true };

  const id = input.generation ? generatedAssetId(input.generation.id, input.generation.variantIndex) : randomUUID();
  const objectKind = OBJECT_KIND[kind];
  const format = image.original.format;
  const displayIsOriginal = image.display === image.original;
  const originalKey = shopObjectKey(shopId, objectKind, id, "original", format === "jpeg" ? "jpg" : format);
  const keys = {
    original: originalKey,
    display: displayIsOriginal ? originalKey : shopObjectKey(shopId, objectKind, id, "display", "webp"),
    // No thumbnail yet: the original stands in for it (see thumbnailPending).
    thumb: image.thumb ? shopObjectKey(shopId, objectKind, id, "thumb", "webp") : originalKey,
  };
  const bodies = input.provenance
    ? await stamp(image, input.provenance)
    : { original: image.original.bytes, display: image.display.bytes, thumb: image.thumb?.bytes ?? null };

  const written: string[] = [];
  try {
    const objects = [
      { key: keys.original, body: bodies.original, contentType: image.original.contentType },
      ...(displayIsOriginal ? [] : [{ key: keys.display, body: bodies.display, contentType: image.display.contentType }]),
      ...(image.thumb && bodies.thumb ? [{ key: keys.thumb, body: bodies.thumb, contentType: image.thumb.contentType }] : []),
    ];
    const puts = await Promise.allSettled(
      objects.map(async ({ key, body, contentType }) => {
        await storage.put(key, body, { contentType, contentLength: body.length });
        written.push(key);
      }),
    );
    const failed = puts.find((put) => put.status === "rejected");
    if (failed) throw failed.reason;
    const { sha256, orientationApplied, colourSpaceIn, iccProfileIn, hasAlpha, declaredTypeMismatch } = image.meta;
    const asset = await db.asset.create({
      data: {
        id,
        shopId,
        kind,
        sha256,
        dedupeKey,
        generationId: input.generation?.id ?? null,
        variantIndex: input.generation?.variantIndex ?? null,
        format,
        mimeType: STORED_MIME_TYPES[format],
        width: image.meta.width,
        height: image.meta.height,
        bytes: bodies.original.length,
        originalKey: keys.original,
        displayKey: keys.display,
        thumbKey: keys.thumb,
        filename: displayName(input.filename),
        productId: input.productId ?? null,
        sourceMediaId: input.sourceMediaId ?? null,
        metadata: {
          input: { format: image.meta.format, bytes: image.meta.bytes, colourSpace: colourSpaceIn, iccProfile: iccProfileIn ?? null },
          orientationApplied,
          hasAlpha,
          declaredTypeMismatch,
          ...(input.provenance ? { provenance: { digitalSourceType: "trainedAlgorithmicMedia", ...input.provenance } } : {}),
          ...input.metadata,
        } as Prisma.InputJsonValue,
      },
    });
    return { asset, deduplicated: false };
  } catch (error) {
    // Two identical uploads at once (or two runs of one variant): the loser returns the winner's
    // asset. A variant's winner has the same keys, so its objects stay.
    const winner = await findExisting().catch(() => null);
    if (!winner || winner.id !== id) await Promise.allSettled(written.map((key) => storage.delete(key)));
    if (winner) return { asset: winner, deduplicated: true };
    throw error;
  }
}
