// Everything the Studio page shows for a shop (and, optionally, one product).
import type { Db } from "~/db.server";
import { importProductPhotos } from "~/products/import-product-photos.server";
import type { PacedClient } from "~/shopify-admin/paced-client.server";
import type { ObjectStorage } from "~/storage/types";

import { CREDIT_PRICES } from "~/credits/prices";

import { imageView, toGenerationView } from "./generation-view.server";
import { offeredModels } from "./lineup.server";
import { ASPECT_RATIOS } from "./models";
import { PRESETS } from "./presets";
import { providerChoice } from "./provider-for-shop.server";

export async function studioData(
  db: Db,
  storage: ObjectStorage,
  client: PacedClient,
  input: { shopId: string; productId?: string | null },
) {
  const product = input.productId
    ? await importProductPhotos(client, db, storage, { shopId: input.shopId, productId: input.productId })
    : null;
  const uploads = await db.asset.findMany({
    where: { shopId: input.shopId, kind: "upload", ...(product ? { OR: [{ productId: product.productId }, { productId: null }] } : {}) },
    orderBy: { createdAt: "desc" },
    take: 24,
  });
  const generations = await db.generation.findMany({
    where: { shopId: input.shopId, ...(product ? { productId: product.productId } : {}) },
    include: { outputs: { orderBy: { variantIndex: "asc" } } },
    orderBy: { createdAt: "desc" },
    take: 6,
  });
  const [shop, choice] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: input.shopId }, select: { creditBalance: true } }),
    providerChoice(db, input.shopId),
  ]);
  return {
    product: product ? { id: product.productId, title: product.title, skipped: product.skipped.length } : null,
    sources: await Promise.all([...(product?.photos ?? []), ...uploads].map((asset) => imageView(storage, asset))),
    generations: await Promise.all(generations.map((g) => toGenerationView(db, storage, g))),
    credits: shop.creditBalance,
    provider: choice,
    prices: CREDIT_PRICES,
    presets: PRESETS.map((p) => ({ id: p.id, name: p.name, description: p.description })),
    /** What this server offers now (configured, not retired), the default first. */
    models: offeredModels(),
    aspectRatios: [...ASPECT_RATIOS],
  };
}

export type StudioData = Awaited<ReturnType<typeof studioData>>;
