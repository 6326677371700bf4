// Plain objects the GraphQL executor reads: one per Shopify object type the app uses. A property
// that is a function is a field with arguments (called with the field's args).
import { purchaseView, subscriptionView } from "../billing.ts";
import type { SimContext } from "../context.ts";
import { gid } from "../state.ts";
import type { SimJob, SimMedia, SimProduct, SimShop } from "../state.ts";
import { paginate } from "./connection.ts";
import type { ConnectionArgs } from "./connection.ts";

export type View = Record<string, unknown> & { __typename: string };

export interface ViewContext {
  ctx: SimContext;
  shop: SimShop;
}

/** A CDN URL with Shopify's image transform parameters (the CDN honours width/height). */
function imageUrl(vc: ViewContext, path: string, transform?: { maxWidth?: number | null; maxHeight?: number | null } | null): string {
  const url = new URL(`${vc.ctx.publicUrl()}${path}`);
  url.searchParams.set("v", "1");
  if (transform?.maxWidth) url.searchParams.set("width", String(transform.maxWidth));
  if (transform?.maxHeight) url.searchParams.set("height", String(transform.maxHeight));
  return url.toString();
}

export function imageView(vc: ViewContext, media: SimMedia): View | null {
  const image = media.image;
  if (!image || media.status !== "READY") return null;
  const plain = imageUrl(vc, image.path);
  return {
    __typename: "Image",
    id: gid("ImageSource", image.id),
    altText: media.alt || null,
    width: image.width,
    height: image.height,
    thumbhash: null,
    url: (args: { transform?: { maxWidth?: number | null; maxHeight?: number | null } | null }) => imageUrl(vc, image.path, args.transform),
    originalSrc: plain,
    src: plain,
    transformedSrc: (args: { maxWidth?: number | null; maxHeight?: number | null }) => imageUrl(vc, image.path, args),
  };
}

const FILE_STATUS: Record<SimMedia["status"], string> = {
  UPLOADED: "UPLOADED",
  PROCESSING: "PROCESSING",
  READY: "READY",
  FAILED: "FAILED",
};

export function mediaView(vc: ViewContext, media: SimMedia): View {
  const image = imageView(vc, media);
  return {
    __typename: "MediaImage",
    id: gid("MediaImage", media.id),
    alt: media.alt,
    mediaContentType: "IMAGE",
    status: media.status,
    fileStatus: FILE_STATUS[media.status],
    mimeType: media.mimeType,
    createdAt: media.createdAt,
    updatedAt: media.updatedAt,
    image,
    preview: { __typename: "MediaPreviewImage", status: media.status, image },
    mediaErrors: media.errors.map((error) => ({ __typename: "MediaError", ...error })),
    mediaWarnings: [],
    fileErrors: media.errors.map((error) => ({ __typename: "FileError", code: error.code, message: error.message, details: error.details })),
    originalSource: { __typename: "MediaImageOriginalSource", url: media.originalSource, fileSize: media.fileSize },
  };
}

function productMedia(vc: ViewContext, product: SimProduct): SimMedia[] {
  const out: SimMedia[] = [];
  for (const id of product.mediaIds) {
    const media = vc.shop.media.get(id);
    if (media) out.push(media);
  }
  return out;
}

function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

export function productView(vc: ViewContext, product: SimProduct): View {
  const media = () => productMedia(vc, product);
  return {
    __typename: "Product",
    id: gid("Product", product.id),
    legacyResourceId: String(product.id),
    title: product.title,
    handle: product.handle,
    vendor: product.vendor,
    productType: product.productType,
    status: product.status,
    descriptionHtml: product.descriptionHtml,
    description: (args: { truncateAt?: number | null }) => {
      const text = plainText(product.descriptionHtml);
      return args.truncateAt && text.length > args.truncateAt ? `${text.slice(0, args.truncateAt)}...` : text;
    },
    tags: product.tags,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
    publishedAt: product.publishedAt,
    onlineStoreUrl: product.status === "ACTIVE" ? `https://${vc.shop.domain}/products/${product.handle}` : null,
    onlineStorePreviewUrl: `https://${vc.shop.domain}/products/${product.handle}`,
    templateSuffix: null,
    giftCardTemplateSuffix: null,
    isGiftCard: false,
    requiresSellingPlan: false,
    hasOnlyDefaultVariant: true,
    hasOutOfStockVariants: false,
    tracksInventory: false,
    totalInventory: 0,
    defaultCursor: Buffer.from(JSON.stringify({ last_id: product.id, last_value: product.id })).toString("base64"),
    seo: { __typename: "SEO", title: null, description: null },
    options: () => [{ __typename: "ProductOption", id: gid("ProductOption", product.id), name: "Title", position: 1, values: ["Default Title"] }],
    variantsCount: { __typename: "Count", count: 1, precision: "EXACT" },
    mediaCount: () => ({ __typename: "Count", count: media().length, precision: "EXACT" }),
    featuredMedia: () => {
      const first = media()[0];
      return first ? mediaView(vc, first) : null;
    },
    media: (args: ConnectionArgs & { sortKey?: string | null; query?: string | null }) => {
      const list = media();
      const position = new Map(list.map((item, index) => [item.id, index]));
      const sortValue = args.sortKey === "ID" ? (item: SimMedia) => item.id : (item: SimMedia) => position.get(item.id) ?? 0;
      return paginate(list, args, sortValue, (item) => mediaView(vc, item));
    },
  };
}

export function shopView(vc: ViewContext): View {
  const shop = vc.shop;
  return {
    __typename: "Shop",
    id: gid("Shop", shop.id),
    name: shop.name,
    email: shop.email,
    contactEmail: shop.email,
    myshopifyDomain: shop.domain,
    url: `https://${shop.domain}`,
    currencyCode: shop.currencyCode,
    enabledPresentmentCurrencies: [shop.currencyCode],
    ianaTimezone: shop.ianaTimezone,
    timezoneAbbreviation: "EST",
    timezoneOffset: "-0500",
    timezoneOffsetMinutes: -300,
    description: null,
    shopOwnerName: shop.ownerName,
    createdAt: shop.createdAt,
    updatedAt: shop.createdAt,
    weightUnit: "KILOGRAMS",
    unitSystem: "METRIC_SYSTEM",
    taxesIncluded: false,
    taxShipping: false,
    setupRequired: false,
    checkoutApiSupported: true,
    transactionalSmsDisabled: false,
    marketingSmsConsentEnabledAtCheckout: false,
    primaryDomain: { __typename: "Domain", id: gid("Domain", shop.id), host: shop.domain, url: `https://${shop.domain}`, sslEnabled: true },
    plan: {
      __typename: "ShopPlan",
      publicDisplayName: shop.planDisplayName,
      displayName: shop.planDisplayName,
      partnerDevelopment: shop.partnerDevelopment,
      shopifyPlus: shop.shopifyPlus,
    },
  };
}

export function jobView(job: SimJob, queryRoot: unknown): View {
  return { __typename: "Job", id: job.id, done: job.done, query: queryRoot };
}

export function appInstallationView(vc: ViewContext): View {
  const { ctx, shop } = vc;
  const appId = gid("App", 5000001);
  return {
    __typename: "AppInstallation",
    id: gid("AppInstallation", shop.id),
    launchUrl: `${ctx.publicUrl()}/store/${shop.handle}/apps/${ctx.options.appHandle}`,
    uninstallUrl: null,
    accessScopes: shop.grantedScopes.map((handle) => ({ __typename: "AccessScope", handle, description: handle.replace(/_/g, " ") })),
    // Approximation: FROZEN subscriptions are not listed here (read them with node(id:)).
    activeSubscriptions: () => [...shop.subscriptions.values()].filter((s) => s.status === "ACTIVE").map(subscriptionView),
    allSubscriptions: (args: ConnectionArgs) => paginate([...shop.subscriptions.values()], args, (s) => s.id, subscriptionView),
    oneTimePurchases: (args: ConnectionArgs) => paginate([...shop.purchases.values()], args, (p) => p.id, purchaseView),
    app: {
      __typename: "App",
      id: appId,
      title: ctx.options.appName,
      handle: ctx.options.appHandle,
      apiKey: ctx.options.apiKey,
      embedded: true,
      developerName: "Lightbox",
    },
  };
}
