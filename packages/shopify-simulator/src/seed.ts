// Seed shops: a demo store with a dozen realistic products whose photos the simulator renders.
import type { SimContext } from "./context.ts";
import { issueOfflineToken } from "./oauth.ts";
import { PHOTO_SIZE, renderPhoto } from "./images.ts";
import type { PhotoSpec, ShapeName } from "./images.ts";
import { isoNow, normalizeShopDomain, shopHandle } from "./state.ts";
import type { ProductStatus, SimMedia, SimProduct, SimShop } from "./state.ts";

export interface SeedPhoto {
  shape: ShapeName;
  color: string;
  background: string;
  flip?: boolean;
  zoom?: number;
  format?: "jpeg" | "png";
  alt?: string;
}

export interface SeedProduct {
  title: string;
  handle?: string;
  vendor: string;
  productType: string;
  status?: ProductStatus;
  tags?: string[];
  descriptionHtml?: string;
  photos?: SeedPhoto[];
}

export interface SeedShop {
  /** "lightbox-demo.myshopify.com" (a bare handle gets .myshopify.com). */
  domain: string;
  name?: string;
  email?: string;
  currencyCode?: string;
  planDisplayName?: string;
  ownerName?: string;
  /** Installed at start (tokens can be issued without a token exchange); default true. */
  installed?: boolean;
  /** Scopes granted at install; default the simulator's `scopes` option. */
  scopes?: string[];
  /** A non-expiring offline access token to pre-issue (benchmarks, demo scripts). */
  accessToken?: string;
  products?: SeedProduct[];
}

const BACKGROUNDS = ["#f3efe8", "#e9eef2", "#f5f5f5", "#efe6f0", "#eef3ea"];

function photos(shape: ShapeName, color: string, count: number, alt: string, first = 0): SeedPhoto[] {
  const out: SeedPhoto[] = [];
  for (let i = 0; i < count; i++) {
    const photo: SeedPhoto = {
      shape,
      color,
      background: BACKGROUNDS[(first + i) % BACKGROUNDS.length] ?? "#f5f5f5",
      alt: i === 0 ? alt : `${alt}, ${i === 1 ? "side view" : "detail"}`,
    };
    if (i === 1) photo.flip = true;
    if (i === 2) photo.zoom = 1.35;
    if (i === 1) photo.format = "png";
    out.push(photo);
  }
  return out;
}

/** The demo store: 12 products, 1-3 photos each, mixed statuses. */
export function demoProducts(): SeedProduct[] {
  return [
    { title: "Ceramic Coffee Mug", vendor: "Harbor & Pine", productType: "Drinkware", tags: ["kitchen", "ceramic"], photos: photos("mug", "#c0533a", 3, "Terracotta ceramic coffee mug", 0) },
    { title: "Insulated Water Bottle", vendor: "Northwind Goods", productType: "Drinkware", tags: ["outdoor", "steel"], photos: photos("bottle", "#2f6f8f", 2, "Blue insulated steel water bottle", 1) },
    { title: "Everyday Canvas Sneaker", vendor: "Stride Studio", productType: "Footwear", tags: ["shoes", "canvas"], photos: photos("sneaker", "#3a3a3a", 3, "Charcoal canvas sneaker with white sole", 2) },
    { title: "Organic Cotton Tee", vendor: "Harbor & Pine", productType: "Apparel", tags: ["cotton", "basics"], photos: photos("tshirt", "#e8e2d0", 2, "Natural organic cotton t-shirt", 3) },
    { title: "Commuter Backpack", vendor: "Northwind Goods", productType: "Bags", tags: ["travel"], photos: photos("backpack", "#556b2f", 2, "Olive commuter backpack", 4) },
    { title: "Minimalist Wrist Watch", vendor: "Tempo Works", productType: "Accessories", tags: ["watch", "gift"], photos: photos("watch", "#1f2a44", 1, "Navy minimalist wrist watch", 0) },
    { title: "Soy Wax Candle", vendor: "Ember Lane", productType: "Home Decor", tags: ["candle", "soy"], photos: photos("candle", "#e6c07b", 2, "Amber soy wax candle in a jar", 1) },
    { title: "Potted Snake Plant", vendor: "Greenroom", productType: "Plants", tags: ["plant", "indoor"], status: "DRAFT", photos: photos("plant", "#b86b4b", 1, "Snake plant in a terracotta pot", 2) },
    { title: "Brass Desk Lamp", vendor: "Ember Lane", productType: "Lighting", tags: ["lamp", "brass"], photos: photos("lamp", "#d9b44a", 2, "Brass desk lamp with a yellow shade", 3) },
    { title: "Wireless Headphones", vendor: "Tempo Works", productType: "Audio", tags: ["audio", "wireless"], photos: photos("headphones", "#202020", 3, "Black over-ear wireless headphones", 4) },
    { title: "Classic Sunglasses", vendor: "Stride Studio", productType: "Accessories", tags: ["summer"], status: "ARCHIVED", photos: photos("sunglasses", "#6b3f2a", 1, "Tortoiseshell classic sunglasses", 0) },
    { title: "Stoneware Vase", vendor: "Greenroom", productType: "Home Decor", tags: ["vase", "stoneware"], photos: photos("vase", "#7a9cc6", 2, "Pale blue stoneware vase", 1) },
  ];
}

const CATALOGUE: Array<[ShapeName, string, string, string]> = [
  ["mug", "#c0533a", "Drinkware", "mug"],
  ["bottle", "#2f6f8f", "Drinkware", "bottle"],
  ["sneaker", "#3a3a3a", "Footwear", "sneaker"],
  ["tshirt", "#e8e2d0", "Apparel", "tee"],
  ["backpack", "#556b2f", "Bags", "backpack"],
  ["watch", "#1f2a44", "Accessories", "watch"],
  ["candle", "#e6c07b", "Home Decor", "candle"],
  ["lamp", "#d9b44a", "Lighting", "lamp"],
  ["headphones", "#202020", "Audio", "headphones"],
  ["vase", "#7a9cc6", "Home Decor", "vase"],
];
const VENDORS = ["Harbor & Pine", "Northwind Goods", "Stride Studio", "Ember Lane"];

/** A catalogue of `count` products with one photo each (batch tests and benchmarks). */
export function catalogueProducts(count: number): SeedProduct[] {
  return Array.from({ length: count }, (_, index) => {
    const [shape, color, productType, noun] = CATALOGUE[index % CATALOGUE.length]!;
    const vendor = VENDORS[index % VENDORS.length]!;
    return {
      title: `${vendor.split(" ")[0]} ${noun} ${String(index + 1).padStart(3, "0")}`,
      vendor,
      productType,
      tags: [noun],
      photos: photos(shape, color, 1, `${noun} ${index + 1}`, index),
    };
  });
}

/** The seeded shop: `npm start` and the end-to-end tests open the app in its admin. */
export const DEMO_SHOP = "lightbox-demo.myshopify.com";

export function defaultSeed(): SeedShop[] {
  return [
    {
      domain: DEMO_SHOP,
      name: "Lightbox Demo",
      email: "owner@lightbox-demo.example",
      ownerName: "Dana Demo",
      products: demoProducts(),
    },
  ];
}

export function handleize(title: string): string {
  return title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Creates a shop (and its products, photos and optional token) in the simulator's state. */
export function createShop(ctx: SimContext, seed: SeedShop): SimShop {
  const { state, options } = ctx;
  const domain = normalizeShopDomain(seed.domain);
  if (state.shops.has(domain)) throw new Error(`Shop ${domain} already exists`);
  const handle = shopHandle(domain);
  const now = ctx.now();
  const shop: SimShop = {
    id: state.nextId("Shop"),
    domain,
    handle,
    name: seed.name ?? handle.replace(/-/g, " ").replace(/\b\w/g, (c) => c.toUpperCase()),
    email: seed.email ?? `owner@${handle}.example`,
    currencyCode: seed.currencyCode ?? "USD",
    ianaTimezone: "America/New_York",
    planDisplayName: seed.planDisplayName ?? "Basic",
    partnerDevelopment: false,
    shopifyPlus: false,
    ownerName: seed.ownerName ?? "Shop Owner",
    ownerUserId: state.nextId("User"),
    createdAt: isoNow(now - 90 * 24 * 3600 * 1000),
    installed: seed.installed ?? true,
    grantedScopes: seed.scopes ?? [...options.scopes],
    products: new Map(),
    media: new Map(),
    subscriptions: new Map(),
    purchases: new Map(),
  };
  state.shops.set(domain, shop);
  (seed.products ?? []).forEach((product, index) => addSeedProduct(ctx, shop, product, index));
  if (seed.accessToken) issueOfflineToken(ctx, shop, { expiring: false, accessToken: seed.accessToken });
  return shop;
}

function addSeedProduct(ctx: SimContext, shop: SimShop, seed: SeedProduct, index: number): SimProduct {
  const { state } = ctx;
  const created = isoNow(ctx.now() - (60 - index) * 24 * 3600 * 1000);
  const handle = seed.handle ?? handleize(seed.title);
  const product: SimProduct = {
    id: state.nextId("Product"),
    title: seed.title,
    handle,
    vendor: seed.vendor,
    productType: seed.productType,
    status: seed.status ?? "ACTIVE",
    descriptionHtml: seed.descriptionHtml ?? `<p>${seed.title} from ${seed.vendor}.</p>`,
    tags: seed.tags ?? [],
    createdAt: created,
    updatedAt: created,
    publishedAt: (seed.status ?? "ACTIVE") === "ACTIVE" ? created : null,
    mediaIds: [],
  };
  shop.products.set(product.id, product);
  (seed.photos ?? []).forEach((photo, photoIndex) => {
    const format = photo.format ?? "jpeg";
    const filename = `${handle}-${photoIndex + 1}.${format === "jpeg" ? "jpg" : format}`;
    const path = `/cdn/shops/${shop.handle}/files/${filename}`;
    const spec: PhotoSpec = { shape: photo.shape, color: photo.color, background: photo.background, format };
    if (photo.flip) spec.flip = true;
    if (photo.zoom) spec.zoom = photo.zoom;
    state.files.set(path, { render: () => renderPhoto(spec) });
    const media: SimMedia = {
      id: state.nextId("Media"),
      productId: product.id,
      alt: photo.alt ?? "",
      status: "READY",
      originalSource: `${ctx.publicUrl()}${path}`,
      filename,
      mimeType: `image/${format}`,
      fileSize: null,
      image: { id: state.nextId("Image"), path, width: PHOTO_SIZE, height: PHOTO_SIZE },
      errors: [],
      createdAt: created,
      updatedAt: created,
      generation: 0,
    };
    shop.media.set(media.id, media);
    product.mediaIds.push(media.id);
  });
  return product;
}

/** Adds a product to an existing shop (tests). */
export function addProduct(ctx: SimContext, shop: SimShop, seed: SeedProduct): SimProduct {
  return addSeedProduct(ctx, shop, seed, shop.products.size);
}
