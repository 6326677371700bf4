// Builds one export's archive straight into storage (docs/decisions/0070-streamed-zip-exports.md):
// the ZIP is written as a stream that the storage upload reads (R2: multipart parts of 8 MiB,
// two in flight; disk: a temp file renamed at the end), and each image is copied from storage into
// it chunk by chunk. Rows are read a page at a time. Memory holds one page of rows, the upload's
// parts and the set of files written (for the manifest), whatever the export's size.
//   <kind>/<asset id>.<ext>   the stored originals (uploads/, product-photos/, generated/)
//   manifest.json             per image: what it is, how it was made (prompt, preset, model,
//                             parameters, sources), when, and where it was published
//   all_data only: shop.json, generations.json, publications.json, credit-ledger.json,
//                  api-tokens.json (metadata, never a secret), request-log.jsonl
import type { Db } from "~/db.server";
import type { Asset, Export, Generation, Prisma, Publication } from "~/generated/prisma/client";
import { shopObjectKey } from "~/storage/index.server";
import type { ObjectStorage } from "~/storage/types";

import type { ExportScope, ExportSelection } from "./export-input";
import { ZipStream } from "./zip-stream.server";

const PAGE = 100;
const FOLDER: Record<Asset["kind"], string> = { upload: "uploads", product_photo: "product-photos", generated: "generated" };
const EXT: Record<string, string> = { jpeg: "jpg", png: "png", webp: "webp" };

export const MANIFEST_FORMAT = "lightbox-export/1";

export function exportObjectKey(shopId: string, exportId: string): string {
  return shopObjectKey(shopId, "exports", exportId, "archive", "zip");
}

export function assetWhere(shopId: string, selection: ExportSelection): Prisma.AssetWhereInput {
  return {
    shopId,
    ...(selection.assetIds ? { id: { in: selection.assetIds } } : {}),
    ...(selection.kind ? { kind: selection.kind } : {}),
    ...(selection.productId ? { productId: selection.productId } : {}),
  };
}

/** Every row of a model, a page at a time, oldest first (a stable keyset: createdAt, id). */
async function* pages<T extends { id: string; createdAt: Date }>(fetch: (after: { createdAt: Date; id: string } | null) => Promise<T[]>): AsyncGenerator<T[]> {
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const rows = await fetch(after);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < PAGE) return;
    const last = rows.at(-1)!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

const afterKey = (after: { createdAt: Date; id: string } | null) =>
  after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {};
const oldestFirst = [{ createdAt: "asc" as const }, { id: "asc" as const }];

/** A JSON array written as it is read: `[`, the items with commas, `]`. */
async function* jsonArray<T>(source: AsyncIterable<T[]>, toJson: (row: T) => unknown): AsyncGenerator<string> {
  yield "[";
  let first = true;
  for await (const rows of source) {
    for (const row of rows) {
      yield `${first ? "\n  " : ",\n  "}${JSON.stringify(toJson(row))}`;
      first = false;
    }
  }
  yield first ? "]\n" : "\n]\n";
}

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

function generationJson(generation: Generation, files: Map<string, string>) {
  const source = (id: string) => ({ asset_id: id, file: files.get(id) ?? null });
  return {
    id: generation.id,
    status: generation.status,
    provider: generation.provider,
    model: generation.model,
    preset_id: generation.presetId,
    custom_prompt: generation.customPrompt,
    instruction: generation.instruction,
    prompt: generation.prompt,
    parameters: { aspect_ratio: generation.aspectRatio, resolution: generation.resolution, variants: generation.variants },
    sources: generation.sourceAssetIds.map(source),
    references: generation.referenceAssetIds.map(source),
    product_id: generation.productId,
    parent_asset_id: generation.parentAssetId,
    credits_charged: generation.creditsCharged,
    used_own_key: generation.usedOwnKey,
    error: generation.errorCode ? { code: generation.errorCode, message: generation.errorMessage } : null,
    created_at: iso(generation.createdAt),
    started_at: iso(generation.startedAt),
    finished_at: iso(generation.finishedAt),
  };
}

function publicationJson(publication: Publication) {
  return {
    product_id: publication.productId,
    asset_id: publication.assetId,
    media_id: publication.mediaId,
    status: publication.status,
    alt_text: publication.altText,
    position: publication.position,
    replace_media_id: publication.replaceMediaId,
    created_at: iso(publication.createdAt),
    updated_at: iso(publication.updatedAt),
  };
}

export type BuildProgress = (done: number, total: number) => Promise<void>;

export type BuiltArchive = { key: string; itemCount: number; bytes: number; missing: number };

/**
 * Writes the export's archive to storage under exportObjectKey. If anything fails (storage, a
 * database read), the upload is aborted and nothing is left under the key (the R2 backend aborts
 * the multipart upload; the disk backend drops its temp file); the job retries.
 */
export async function buildExportArchive(db: Db, storage: ObjectStorage, row: Export, onProgress: BuildProgress): Promise<BuiltArchive> {
  const key = exportObjectKey(row.shopId, row.id);
  const zip = new ZipStream();
  const upload = storage.put(key, zip.output, { contentType: "application/zip" });
  // An upload that fails stops the writer (its next write rejects) instead of leaving it waiting.
  upload.catch((error: unknown) => zip.abort(error instanceof Error ? error : new Error(String(error))));
  try {
    const result = await writeEntries(db, storage, row, zip, onProgress);
    await zip.finish();
    await upload;
    return { key, ...result, bytes: zip.bytesWritten };
  } catch (error) {
    zip.abort(error instanceof Error ? error : new Error(String(error)));
    await upload.catch(() => undefined);
    await storage.delete(key).catch(() => undefined);
    throw error;
  }
}

async function writeEntries(db: Db, storage: ObjectStorage, row: Export, zip: ZipStream, onProgress: BuildProgress) {
  const shopId = row.shopId;
  const scope = row.scope as ExportScope;
  const selection = (row.selection ?? {}) as ExportSelection;
  const where = assetWhere(shopId, selection);
  const total = await db.asset.count({ where });
  const assetPages = () => pages((after) => db.asset.findMany({ where: { ...where, ...afterKey(after) }, orderBy: oldestFirst, take: PAGE }));

  // 1. The images, as stored. `files`: asset id -> its name in the archive (for the manifest).
  const files = new Map<string, string>();
  let done = 0;
  let missing = 0;
  for await (const assets of assetPages()) {
    for (const asset of assets) {
      const object = await storage.get(asset.originalKey);
      if (!object) {
        missing += 1; // deleted while the export ran: the manifest says so
      } else {
        const name = `${FOLDER[asset.kind]}/${asset.id}.${EXT[asset.format] ?? "bin"}`;
        await zip.add(name, object.stream, asset.createdAt);
        files.set(asset.id, name);
      }
      done += 1;
      await onProgress(done, total);
    }
  }

  // 2. The manifest, read again a page at a time (with each page's generations and publications).
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true } });
  async function* manifestItems(): AsyncGenerator<Array<Record<string, unknown>>> {
    for await (const assets of assetPages()) {
      const present = assets.filter((asset) => files.has(asset.id));
      const generationIds = [...new Set(present.map((a) => a.generationId).filter((id): id is string => Boolean(id)))];
      const [generations, publications] = await Promise.all([
        db.generation.findMany({ where: { shopId, id: { in: generationIds } } }),
        db.publication.findMany({ where: { shopId, assetId: { in: present.map((a) => a.id) } }, orderBy: { createdAt: "asc" } }),
      ]);
      const byGeneration = new Map(generations.map((g) => [g.id, g]));
      yield present.map((asset) => {
        const generation = asset.generationId ? byGeneration.get(asset.generationId) : undefined;
        return {
          file: files.get(asset.id),
          id: asset.id,
          kind: asset.kind,
          filename: asset.filename,
          mime_type: asset.mimeType,
          width: asset.width,
          height: asset.height,
          bytes: asset.bytes,
          sha256: asset.sha256,
          product_id: asset.productId,
          source_media_id: asset.sourceMediaId,
          created_at: iso(asset.createdAt),
          generation: generation ? { ...generationJson(generation, files), variant_index: asset.variantIndex } : null,
          publications: publications.filter((p) => p.assetId === asset.id).map(publicationJson),
        };
      });
    }
  }
  const header = {
    format: MANIFEST_FORMAT,
    shop: shop.domain,
    export_id: row.id,
    scope,
    selection: { asset_ids: selection.assetIds ?? null, kind: selection.kind ?? null, product_id: selection.productId ?? null },
    created_at: iso(row.createdAt),
    images: files.size,
    missing_images: missing,
  };
  const headerJson = JSON.stringify(header, null, 2);
  await zip.add(
    "manifest.json",
    (async function* () {
      yield `${headerJson.slice(0, -2)},\n  "items": `;
      yield* jsonArray(manifestItems(), (item) => item);
      yield "}\n";
    })(),
  );

  // 3. Everything else the shop's use of Lightbox left, for "Export all my data".
  if (scope === "all_data") await writeAllData(db, shopId, zip, files);
  return { itemCount: files.size, missing };
}

async function writeAllData(db: Db, shopId: string, zip: ZipStream, files: Map<string, string>) {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  await zip.add(
    "shop.json",
    Buffer.from(
      `${JSON.stringify(
        {
          domain: shop.domain,
          name: shop.name,
          email: shop.email,
          currency_code: shop.currencyCode,
          installed_at: iso(shop.installedAt),
          credit_balance: shop.creditBalance,
          own_gemini_key: shop.geminiKeyHint ? { last4: shop.geminiKeyHint, saved_at: iso(shop.geminiKeySavedAt) } : null,
          webhook_secret_rotated_at: iso(shop.webhookSecretRotatedAt),
        },
        null,
        2,
      )}\n`,
    ),
  );
  const byShop = { shopId };
  await zip.add(
    "generations.json",
    jsonArray(pages((after) => db.generation.findMany({ where: { ...byShop, ...afterKey(after) }, orderBy: oldestFirst, take: PAGE })), (g) => generationJson(g, files)),
  );
  await zip.add(
    "publications.json",
    jsonArray(pages((after) => db.publication.findMany({ where: { ...byShop, ...afterKey(after) }, orderBy: oldestFirst, take: PAGE })), publicationJson),
  );
  await zip.add(
    "credit-ledger.json",
    jsonArray(pages((after) => db.creditEntry.findMany({ where: { ...byShop, ...afterKey(after) }, orderBy: oldestFirst, take: PAGE })), (entry) => ({
      id: entry.id,
      kind: entry.kind,
      amount: entry.amount,
      balance_after: entry.balanceAfter,
      reason: entry.reason,
      generation_id: entry.generationId,
      created_at: iso(entry.createdAt),
    })),
  );
  await zip.add(
    "api-tokens.json",
    jsonArray(pages((after) => db.apiToken.findMany({ where: { ...byShop, ...afterKey(after) }, orderBy: oldestFirst, take: PAGE })), (token) => ({
      id: token.id,
      name: token.name,
      prefix: token.prefix,
      scopes: token.scopes,
      created_at: iso(token.createdAt),
      expires_at: iso(token.expiresAt),
      last_used_at: iso(token.lastUsedAt),
      last_used_ip: token.lastUsedIp,
      revoked_at: iso(token.revokedAt),
    })),
  );
  await zip.add(
    "request-log.jsonl",
    (async function* () {
      for await (const rows of pages((after) => db.apiRequestLog.findMany({ where: { ...byShop, ...afterKey(after) }, orderBy: oldestFirst, take: PAGE }))) {
        yield rows
          .map((log) =>
            JSON.stringify({
              id: log.id,
              created_at: iso(log.createdAt),
              token_id: log.tokenId,
              method: log.method,
              route: log.route,
              status: log.status,
              duration_ms: log.durationMs,
              ip: log.ip,
              user_agent: log.userAgent,
            }),
          )
          .join("\n")
          .concat("\n");
      }
    })(),
  );
}
