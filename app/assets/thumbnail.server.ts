// Thumbnails of generated images, made on their first request and then kept in storage
// (docs/decisions/0098-generated-thumbnails-on-first-request.md). Until then the asset's
// `thumbKey` is its original, and its thumbnail URL points at the app (/thumbs/<asset id>,
// signed and expiring like a presigned URL) instead of at storage: that request makes the
// thumbnail, stores it, points the row at it and answers with it. Every later view presigns the
// stored thumbnail directly.
import { hkdfSync } from "node:crypto";

import type { Db } from "~/db.server";
import { env } from "~/env.server";
import type { Asset } from "~/generated/prisma/client";
import { makeThumbnail } from "~/images/ingest.server";
import { stampProvenance } from "~/images/provenance.server";
import { diskSignature, verifyDiskSignature } from "~/storage/disk-signature.server";
import { readObjectBytes } from "~/storage/read-object.server";
import { shopObjectKey } from "~/storage/keys";
import type { ObjectStorage } from "~/storage/types";

import { displayRendition, thumbnailPending } from "./display-rendition";
import { OBJECT_KIND } from "./ingest-asset.server";

/** Path under the app's URL where thumbnails not made yet are served (app/routes/thumbs.$.ts). */
export const THUMBS_PATH = "/thumbs";

type ThumbAsset = Pick<Asset, "id" | "shopId" | "kind" | "originalKey" | "displayKey" | "thumbKey" | "mimeType" | "metadata">;

const ASSET_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A per-deployment secret of its own, derived from the app secret (like the disk URLs' one). */
function signingSecret(): string {
  return Buffer.from(hkdfSync("sha256", env().shopifyApiSecret, "lightbox", "thumbnail-urls", 32)).toString("base64url");
}

const signed = (assetId: string) => `thumbs/${assetId}`;

/** Where the asset's thumbnail will be stored (its row says `thumbKey` once it is). */
export function thumbnailKey(asset: Pick<Asset, "id" | "shopId" | "kind">): string {
  return shopObjectKey(asset.shopId, OBJECT_KIND[asset.kind], asset.id, "thumb", "webp");
}

/** A short-lived URL of the asset's thumbnail: storage's own once it is made, else the app's. */
export async function thumbUrl(storage: ObjectStorage, asset: Pick<Asset, "id" | "thumbKey" | "originalKey">, expiresIn: number): Promise<string> {
  if (!thumbnailPending(asset)) return storage.presignGet(asset.thumbKey, { expiresIn });
  const expires = Math.floor(Date.now() / 1000) + expiresIn;
  const query = new URLSearchParams({ expires: String(expires), sig: diskSignature(signingSecret(), signed(asset.id), expires) });
  return `${env().appUrl.replace(/\/+$/, "")}${THUMBS_PATH}/${asset.id}?${query.toString()}`;
}

function creatorTool(asset: ThumbAsset): string | undefined {
  const metadata = asset.metadata as { provenance?: { creatorTool?: unknown } } | null;
  const tool = metadata?.provenance?.creatorTool;
  return typeof tool === "string" ? tool : undefined;
}

const making = new Map<string, Promise<Buffer>>();

/**
 * The asset's thumbnail bytes: the stored ones, or, the first time, made from its display
 * rendition (stamped with the same provenance as its original), stored, and written to its row.
 * Two first requests at once in one process make it once; across processes both write the same
 * bytes to the same key, and the row is pointed at it once.
 */
export function ensureThumbnail(db: Db, storage: ObjectStorage, asset: ThumbAsset): Promise<Buffer> {
  const pending = making.get(asset.id);
  if (pending) return pending;
  const work = (async () => {
    if (!thumbnailPending(asset)) {
      const stored = await readObjectBytes(storage, asset.thumbKey);
      if (stored) return stored;
    }
    const source = await readObjectBytes(storage, displayRendition(asset).key);
    if (!source) throw new Error(`the image of asset ${asset.id} is missing from storage`);
    const thumb = await makeThumbnail(source);
    const tool = creatorTool(asset);
    const body = tool ? await stampProvenance(thumb.bytes, "webp", { creatorTool: tool }) : thumb.bytes;
    const key = thumbnailKey(asset);
    await storage.put(key, body, { contentType: thumb.contentType, contentLength: body.length });
    const { count } = await db.asset.updateMany({ where: { id: asset.id, thumbKey: asset.originalKey }, data: { thumbKey: key } });
    // Deleted meanwhile: don't leave its thumbnail behind.
    if (count === 0 && (await db.asset.count({ where: { id: asset.id } })) === 0) await storage.delete(key);
    return body;
  })();
  making.set(asset.id, work);
  return work.finally(() => making.delete(asset.id));
}

/**
 * What /thumbs/<asset id> answers: checks the signature and expiry (403), finds the asset (404),
 * and answers with its thumbnail, made now if it was not yet. Plain Fetch API in and out.
 */
export async function serveThumbnail(request: Request, options: { db: Db; storage: ObjectStorage; now?: number }): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("Method not allowed", { status: 405, headers: { Allow: "GET, HEAD" } });
  }
  const url = new URL(request.url);
  const assetId = url.pathname.startsWith(`${THUMBS_PATH}/`) ? decodeURIComponent(url.pathname.slice(THUMBS_PATH.length + 1)) : "";
  if (!ASSET_ID.test(assetId)) return new Response("Not found", { status: 404 });
  const expires = url.searchParams.get("expires");
  const now = options.now ?? Date.now();
  if (!verifyDiskSignature(signed(assetId), expires, url.searchParams.get("sig"), { signingSecret: signingSecret(), now })) {
    return new Response("This link is invalid or has expired.", { status: 403 });
  }
  const asset = await options.db.asset.findUnique({ where: { id: assetId } });
  if (!asset) return new Response("Not found", { status: 404 });
  const body = await ensureThumbnail(options.db, options.storage, asset);
  const remaining = Math.max(0, Number(expires) - Math.floor(now / 1000));
  const headers = new Headers({
    "Content-Type": "image/webp",
    "Content-Length": String(body.length),
    "Cache-Control": `private, max-age=${remaining}`,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
  return new Response(request.method === "HEAD" ? null : new Uint8Array(body), { status: 200, headers });
}
