// Root fields the simulator implements: the queries and mutations Lightbox needs, with the
// behaviour Shopify documents for them. Anything else is refused up front (see handler.ts).
import { GraphQLError, isInputObjectType } from "graphql";
import { adminSchema } from "../admin-schema.ts";
import { advanceBilling, appPurchaseOneTimeCreate, appSubscriptionCancel, appSubscriptionCreate, billingNode } from "../billing.ts";
import type { SimContext } from "../context.ts";
import { applyMoves, createMedia, isFetchableUrl, MAX_PRODUCT_MEDIA, replaceMediaSource } from "../media.ts";
import { handleize } from "../seed.ts";
import { gid, isoNow, parseGid, randomUUID } from "../state.ts";
import type { ProductStatus, SimMedia, SimProduct, SimShop } from "../state.ts";
import { matchesProductQuery, paginate } from "./connection.ts";
import type { ConnectionArgs, SortValue } from "./connection.ts";
import { appInstallationView, jobView, mediaView, productView, shopView } from "./views.ts";
import type { View, ViewContext } from "./views.ts";

type Args = Record<string, unknown>;
type Resolver = (args: Args) => unknown;

export interface RootFields {
  query: Record<string, Resolver>;
  mutation: Record<string, Resolver>;
}

const notImplemented = (what: string) =>
  new GraphQLError(`${what} is not implemented by the Lightbox Shopify simulator.`, { extensions: { code: "NOT_IMPLEMENTED" } });

const PRODUCT_SORT: Record<string, (product: SimProduct) => SortValue> = {
  ID: (product) => product.id,
  TITLE: (product) => product.title.toLowerCase(),
  CREATED_AT: (product) => product.createdAt,
  UPDATED_AT: (product) => product.updatedAt,
  PUBLISHED_AT: (product) => product.publishedAt ?? "",
  VENDOR: (product) => product.vendor.toLowerCase(),
  PRODUCT_TYPE: (product) => product.productType.toLowerCase(),
  INVENTORY_TOTAL: () => 0,
  RELEVANCE: (product) => product.id,
};

/** Scalar product fields both ProductUpdateInput and ProductSetInput carry. */
const PRODUCT_FIELDS = ["title", "handle", "vendor", "productType", "status", "descriptionHtml", "tags"] as const;

export function rootFields(ctx: SimContext, shop: SimShop): RootFields {
  const vc: ViewContext = { ctx, shop };
  const query: Record<string, Resolver> = {};
  const mutation: Record<string, Resolver> = {};
  const product = (id: unknown) => {
    const parsed = parseGid(id);
    return parsed && (parsed.type === "Product" || parsed.type === "") ? shop.products.get(parsed.id) : undefined;
  };

  // Billing periods and expiries are kept on the simulator's clock, brought up to date per request.
  advanceBilling(ctx, shop);
  query.shop = () => shopView(vc);
  query.currentAppInstallation = () => appInstallationView(vc);
  query.products = (args) => {
    const sortKey = typeof args.sortKey === "string" ? args.sortKey : "ID";
    const sortValue = PRODUCT_SORT[sortKey] ?? PRODUCT_SORT.ID ?? ((item: SimProduct) => item.id);
    const matching = [...shop.products.values()].filter((item) => matchesProductQuery(item, args.query as string | null));
    return paginate(matching, args as ConnectionArgs, sortValue, (item) => productView(vc, item));
  };
  query.product = (args) => {
    const found = product(args.id);
    return found ? productView(vc, found) : null;
  };
  query.productByIdentifier = (args) => {
    const identifier = (args.identifier ?? {}) as { id?: string; handle?: string };
    const found = identifier.id ? product(identifier.id) : [...shop.products.values()].find((item) => item.handle === identifier.handle);
    return found ? productView(vc, found) : null;
  };
  query.node = (args) => nodeView(vc, args.id);
  query.nodes = (args) => (Array.isArray(args.ids) ? args.ids.map((id) => nodeView(vc, id)) : []);
  query.job = (args) => {
    const job = typeof args.id === "string" ? ctx.state.jobs.get(args.id) : undefined;
    return job && job.shop === shop.domain ? jobView(job, query) : null;
  };
  query.productOperation = (args) => {
    const operation = typeof args.id === "string" ? operations.get(args.id) : undefined;
    return operation ?? null;
  };

  // productSet(synchronous: false) operations of this request's shop.
  const operations = productOperations(shop);

  mutation.productUpdate = (args) => productUpdate(vc, args, product);
  mutation.productSet = (args) => productSet(vc, args, product, operations);
  mutation.productReorderMedia = (args) => productReorderMedia(vc, args, product, query);
  mutation.stagedUploadsCreate = (args) => stagedUploadsCreate(vc, args);
  mutation.appSubscriptionCreate = (args) => appSubscriptionCreate(ctx, shop, args);
  mutation.appPurchaseOneTimeCreate = (args) => appPurchaseOneTimeCreate(ctx, shop, args);
  mutation.appSubscriptionCancel = (args) => appSubscriptionCancel(ctx, shop, args);
  return { query, mutation };
}

function nodeView(vc: ViewContext, id: unknown): View | null {
  const parsed = parseGid(id);
  if (!parsed) return null;
  if (parsed.type === "Product") {
    const found = vc.shop.products.get(parsed.id);
    return found ? productView(vc, found) : null;
  }
  if (parsed.type === "MediaImage") {
    const media = vc.shop.media.get(parsed.id);
    return media ? mediaView(vc, media) : null;
  }
  if (parsed.type === "Shop" && parsed.id === vc.shop.id) return shopView(vc);
  return billingNode(vc.shop, id) ?? null;
}

const operationsByShop = new WeakMap<SimShop, Map<string, View>>();
function productOperations(shop: SimShop): Map<string, View> {
  let map = operationsByShop.get(shop);
  if (!map) {
    map = new Map();
    operationsByShop.set(shop, map);
  }
  return map;
}

interface UserError {
  field: string[] | null;
  message: string;
  code?: string;
}

const userError = (field: (string | number)[] | null, message: string, code?: string): UserError => {
  const error: UserError = { field: field ? field.map(String) : null, message };
  if (code) error.code = code;
  return error;
};

/** Applies the scalar product fields present in `input`; refuses fields the simulator does not model. */
function applyProductFields(vc: ViewContext, product: SimProduct, input: Args, inputType: string, supported: readonly string[]): void {
  const type = adminSchema().getType(inputType);
  const fields = type && isInputObjectType(type) ? type.getFields() : {};
  for (const [key, value] of Object.entries(input)) {
    if (value === null || value === undefined) continue;
    // Coercion fills in schema defaults (deleteConflictingConstrainedMetafields: false): not a request.
    if (fields[key]?.defaultValue !== undefined && fields[key]?.defaultValue === value) continue;
    if (!supported.includes(key)) throw notImplemented(`${inputType}.${key}`);
  }
  for (const key of PRODUCT_FIELDS) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    if (key === "tags") product.tags = (value as string[]).map((tag) => tag.trim()).filter(Boolean);
    else if (key === "status") {
      product.status = value as ProductStatus;
      if (product.status === "ACTIVE" && !product.publishedAt) product.publishedAt = isoNow(vc.ctx.now());
    } else if (key === "handle") product.handle = handleize(String(value));
    else product[key] = String(value);
  }
  product.updatedAt = isoNow(vc.ctx.now());
}

function productUpdate(vc: ViewContext, args: Args, lookup: (id: unknown) => SimProduct | undefined) {
  if (args.input !== undefined && args.input !== null) throw notImplemented("productUpdate(input:) (deprecated; use product:)");
  const input = (args.product ?? {}) as Args;
  const identifier = (args.identifier ?? {}) as { id?: string; handle?: string };
  const id = input.id ?? identifier.id;
  const product = id
    ? lookup(id)
    : identifier.handle
      ? [...vc.shop.products.values()].find((item) => item.handle === identifier.handle)
      : undefined;
  if (!product) {
    return { product: null, userErrors: [userError(["id"], id || identifier.handle ? "Product does not exist" : "Product id or identifier must be provided")] };
  }
  const media = Array.isArray(args.media) ? (args.media as Args[]) : [];
  const errors: UserError[] = [];
  media.forEach((item, index) => {
    if (item.mediaContentType !== "IMAGE") throw notImplemented(`CreateMediaInput.mediaContentType ${String(item.mediaContentType)}`);
    if (typeof item.originalSource !== "string" || !isFetchableUrl(item.originalSource)) {
      errors.push(userError(["media", index, "originalSource"], "Image URL is invalid"));
    }
  });
  if (product.mediaIds.length + media.length > MAX_PRODUCT_MEDIA) {
    errors.push(userError(["media"], `Products can have at most ${MAX_PRODUCT_MEDIA} media.`));
  }
  if (errors.length > 0) return { product: productView(vc, product), userErrors: errors };
  const { id: _id, ...fields } = input;
  void _id;
  applyProductFields(vc, product, fields, "ProductUpdateInput", PRODUCT_FIELDS);
  for (const item of media) {
    const created = createMedia(vc.ctx, vc.shop, product, { originalSource: String(item.originalSource), alt: (item.alt as string | null | undefined) ?? null });
    product.mediaIds.push(created.id);
  }
  return { product: productView(vc, product), userErrors: [] };
}

function productSet(vc: ViewContext, args: Args, lookup: (id: unknown) => SimProduct | undefined, operations: Map<string, View>) {
  const { ctx, shop } = vc;
  const input = (args.input ?? {}) as Args;
  const identifier = (args.identifier ?? {}) as { id?: string; handle?: string; customId?: unknown };
  if (identifier.customId) throw notImplemented("ProductSetIdentifiers.customId");
  const synchronous = args.synchronous !== false;
  const fail = (errors: UserError[]) => ({ product: null, productSetOperation: null, userErrors: errors });

  const id = identifier.id ?? (input.id as string | undefined);
  let product: SimProduct | undefined;
  if (id) {
    product = lookup(id);
    if (!product) return fail([userError(identifier.id ? ["identifier", "id"] : ["input", "id"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")]);
  } else if (identifier.handle) {
    product = [...shop.products.values()].find((item) => item.handle === identifier.handle);
  }

  const files = Array.isArray(input.files) ? (input.files as Args[]) : null;
  const errors: UserError[] = [];
  const plan: ({ keep: SimMedia; alt?: string | null; source?: string } | { create: { originalSource: string; alt: string | null; filename: string | null } })[] = [];
  const seen = new Set<number>();
  (files ?? []).forEach((file, index) => {
    const path = ["input", "files", index];
    if (file.contentType !== undefined && file.contentType !== null && file.contentType !== "IMAGE") {
      throw notImplemented(`FileSetInput.contentType ${String(file.contentType)}`);
    }
    if (file.id) {
      const parsed = parseGid(file.id);
      const media = parsed ? shop.media.get(parsed.id) : undefined;
      if (!media || (parsed?.type !== "MediaImage" && parsed?.type !== "")) {
        errors.push(userError([...path, "id"], `File id ${String(file.id)} does not exist.`, "INVALID_INPUT"));
        return;
      }
      if (seen.has(media.id)) {
        errors.push(userError([...path, "id"], `File id ${String(file.id)} is given more than once.`, "DUPLICATED_VALUE"));
        return;
      }
      seen.add(media.id);
      if (typeof file.originalSource === "string" && !isFetchableUrl(file.originalSource)) {
        errors.push(userError([...path, "originalSource"], "Image URL is invalid", "INVALID_INPUT"));
        return;
      }
      const step: { keep: SimMedia; alt?: string | null; source?: string } = { keep: media };
      if (file.alt !== undefined) step.alt = (file.alt as string | null) ?? "";
      if (typeof file.originalSource === "string") step.source = file.originalSource;
      plan.push(step);
    } else if (typeof file.originalSource === "string") {
      if (!isFetchableUrl(file.originalSource)) {
        errors.push(userError([...path, "originalSource"], "Image URL is invalid", "INVALID_INPUT"));
        return;
      }
      plan.push({
        create: {
          originalSource: file.originalSource,
          alt: (file.alt as string | null | undefined) ?? null,
          filename: (file.filename as string | null | undefined) ?? null,
        },
      });
    } else {
      errors.push(userError(path, "A file needs either an id or an originalSource.", "INVALID_INPUT"));
    }
  });
  if (files && files.length > MAX_PRODUCT_MEDIA) errors.push(userError(["input", "files"], `Products can have at most ${MAX_PRODUCT_MEDIA} media.`, "INVALID_INPUT"));
  if (!product && (typeof input.title !== "string" || !input.title.trim())) {
    errors.push(userError(["input", "title"], "Title can't be blank", "INVALID_INPUT"));
  }
  if (errors.length > 0) return fail(errors);

  if (!product) {
    const now = isoNow(ctx.now());
    const title = String(input.title);
    product = {
      id: ctx.state.nextId("Product"),
      title,
      handle: identifier.handle ?? handleize(title),
      vendor: shop.name,
      productType: "",
      status: "ACTIVE",
      descriptionHtml: "",
      tags: [],
      createdAt: now,
      updatedAt: now,
      publishedAt: now,
      mediaIds: [],
    };
    shop.products.set(product.id, product);
  }
  const { id: _id, files: _files, ...fields } = input;
  void _id;
  void _files;
  applyProductFields(vc, product, fields, "ProductSetInput", PRODUCT_FIELDS);

  if (files) {
    // A list field: the gallery becomes exactly the given files, in this order.
    const next: number[] = [];
    for (const step of plan) {
      if ("keep" in step) {
        const media = step.keep;
        if (step.alt !== undefined) {
          media.alt = step.alt ?? "";
          media.updatedAt = isoNow(ctx.now());
        }
        if (step.source) replaceMediaSource(ctx, shop, media, step.source);
        media.productId = product.id;
        next.push(media.id);
      } else {
        next.push(createMedia(ctx, shop, product, step.create).id);
      }
    }
    for (const dropped of product.mediaIds) {
      if (!next.includes(dropped)) {
        const media = shop.media.get(dropped);
        if (media && media.productId === product.id) media.productId = null;
      }
    }
    // A file kept here that belonged to another product moves to this one.
    for (const other of shop.products.values()) {
      if (other.id !== product.id) other.mediaIds = other.mediaIds.filter((mediaId) => !next.includes(mediaId));
    }
    product.mediaIds = next;
  }
  const view = productView(vc, product);
  if (synchronous) return { product: view, productSetOperation: null, userErrors: [] };
  const operation: View = {
    __typename: "ProductSetOperation",
    id: gid("ProductSetOperation", ctx.state.nextId("Operation")),
    status: "COMPLETE",
    product: view,
    userErrors: [],
  };
  operations.set(String(operation.id), operation);
  return { product: null, productSetOperation: operation, userErrors: [] };
}

function productReorderMedia(vc: ViewContext, args: Args, lookup: (id: unknown) => SimProduct | undefined, queryRoot: unknown) {
  const { ctx, shop } = vc;
  const both = (errors: UserError[]) => ({
    job: null,
    mediaUserErrors: errors,
    userErrors: errors.map(({ field, message }) => ({ field, message })),
  });
  const product = lookup(args.id);
  if (!product) return both([userError(["id"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")]);
  const moves = Array.isArray(args.moves) ? (args.moves as { id: unknown; newPosition: unknown }[]) : [];
  const errors: UserError[] = [];
  const parsedMoves: { id: number; newPosition: number }[] = [];
  moves.forEach((move, index) => {
    const parsed = parseGid(move.id);
    if (!parsed || !product.mediaIds.includes(parsed.id)) {
      errors.push(userError(["moves", index, "id"], `Media ${String(move.id)} does not exist on this product`, "MEDIA_DOES_NOT_EXIST_ON_PRODUCT"));
      return;
    }
    const position = Number(move.newPosition);
    if (!Number.isInteger(position) || position < 0) {
      errors.push(userError(["moves", index, "newPosition"], "newPosition must be a non-negative integer", "INVALID"));
      return;
    }
    parsedMoves.push({ id: parsed.id, newPosition: position });
  });
  if (errors.length > 0) return both(errors);
  const job = { id: gid("Job", randomUUID()), shop: shop.domain, done: false };
  ctx.state.jobs.set(job.id, job);
  ctx.state.counters.jobsCreated++;
  // The reorder happens when the job runs, like Shopify's asynchronous job.
  ctx.state.schedule(ctx.options.jobDelayMs, () => {
    product.mediaIds = applyMoves(product.mediaIds, parsedMoves);
    product.updatedAt = isoNow(ctx.now());
    job.done = true;
  });
  return { job: jobView(job, queryRoot), mediaUserErrors: [], userErrors: [] };
}

function stagedUploadsCreate(vc: ViewContext, args: Args) {
  const inputs = Array.isArray(args.input) ? (args.input as Args[]) : [];
  const base = vc.ctx.publicUrl();
  const targets = inputs.map((input) => {
    const filename = String(input.filename ?? "upload").replace(/[^A-Za-z0-9._-]+/g, "_");
    const key = `tmp/${vc.shop.id}/${randomUUID()}/${filename}`;
    const resourceUrl = `${base}/_staged/${key}`;
    if (input.httpMethod === "POST") {
      return {
        __typename: "StagedMediaUploadTarget",
        url: `${base}/_staged/`,
        resourceUrl,
        parameters: [
          { name: "Content-Type", value: String(input.mimeType ?? "application/octet-stream") },
          { name: "success_action_status", value: "201" },
          { name: "acl", value: "private" },
          { name: "key", value: key },
          { name: "policy", value: Buffer.from(JSON.stringify({ key })).toString("base64") },
        ].map((parameter) => ({ __typename: "StagedUploadParameter", ...parameter })),
      };
    }
    return {
      __typename: "StagedMediaUploadTarget",
      url: `${resourceUrl}?X-Goog-Algorithm=SIMULATED&X-Goog-Signature=${randomUUID().replace(/-/g, "")}`,
      resourceUrl,
      parameters: [
        { name: "content_type", value: String(input.mimeType ?? "application/octet-stream") },
        { name: "acl", value: "private" },
      ].map((parameter) => ({ __typename: "StagedUploadParameter", ...parameter })),
    };
  });
  return { stagedTargets: targets, userErrors: [] };
}
