import { randomUUID } from "node:crypto";

import type { Db } from "~/db.server";
import type { Asset, AssetKind, Prisma } from "~/generated/prisma/client";
import { ingestImage, type IngestedImage, type ImageLimits } from "~/images/index.server";
import { stampProvenance } from "~/images/provenance.server";
import { shopObjectKey, type ObjectKind } from "~/storage/index.server";
import type { ObjectStorage } from "~/storage/types";

const OBJECT_KIND: Record<AssetKind, ObjectKind> = {
  upload: "uploads",
  product_photo: "product-photos",
  generated: "generated",
};

const MIME: Record<string, string> = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };

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
  const [original, thumb] = await Promise.all([stampOne(image.original), stampOne(image.thumb)]);
  // The display rendition may be the original itself: stamp it once.
  const display = image.display === image.original ? original : await stampOne(image.display);
  return { original, display, thumb };
}

/**
 * Validates, normalises and stores an image as an Asset: three objects, then one row. The same
 * bytes twice (per shop and kind) give back the first asset. If anything fails, objects already
 * written are deleted again: no row, no object is left half-written.
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

  const id = randomUUID();
  const objectKind = OBJECT_KIND[kind];
  const format = image.original.format;
  const displayIsOriginal = image.display === image.original;
  const originalKey = shopObjectKey(shopId, objectKind, id, "original", format === "jpeg" ? "jpg" : format);
  const keys = {
    original: originalKey,
    display: displayIsOriginal ? originalKey : shopObjectKey(shopId, objectKind, id, "display", "webp"),
    thumb: shopObjectKey(shopId, objectKind, id, "thumb", "webp"),
  };
  const bodies = input.provenance
    ? await stamp(image, input.provenance)
    : { original: image.original.bytes, display: image.display.bytes, thumb: image.thumb.bytes };

  const written: string[] = [];
  try {
    const renditions = displayIsOriginal ? (["original", "thumb"] as const) : (["original", "display", "thumb"] as const);
    const puts = await Promise.allSettled(
      renditions.map(async (rendition) => {
        const body = bodies[rendition];
        await storage.put(keys[rendition], body, { contentType: image[rendition].contentType, contentLength: body.length });
        written.push(keys[rendition]);
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
        mimeType: MIME[format] ?? "application/octet-stream",
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
    await Promise.allSettled(written.map((key) => storage.delete(key)));
    // Two identical uploads at once: the loser returns the winner's asset.
    const winner = await findExisting();
    if (winner) return { asset: winner, deduplicated: true };
    throw error;
  }
}
