// Relay connections with Shopify's rules: one of first/last is required, at most 250 per page,
// opaque cursors that encode the position in the current sort (so they survive deletions),
// accurate hasNextPage / hasPreviousPage. Plus the product search syntax the app needs.
import { GraphQLError } from "graphql";
import type { SimProduct } from "../state.ts";

export const MAX_PAGE_SIZE = 250;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export type SortValue = string | number;

export interface Connection<V> {
  edges: { cursor: string; node: V }[];
  nodes: V[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

interface CursorKey {
  last_id: number;
  last_value: SortValue;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64");
}

function decodeCursor(cursor: string): CursorKey {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as Partial<CursorKey>;
    if (typeof parsed.last_id === "number" && (typeof parsed.last_value === "string" || typeof parsed.last_value === "number")) {
      return { last_id: parsed.last_id, last_value: parsed.last_value };
    }
  } catch {
    // fall through
  }
  throw new GraphQLError("Invalid cursor for current pagination sort.", { extensions: { code: "BAD_REQUEST" } });
}

function compareKeys(a: CursorKey, b: CursorKey): number {
  if (a.last_value < b.last_value) return -1;
  if (a.last_value > b.last_value) return 1;
  return a.last_id - b.last_id;
}

/** Checks first/last the way Shopify does, before any data is read. */
export function checkPageArgs(args: ConnectionArgs): void {
  const { first, last } = args;
  if ((first === null || first === undefined) && (last === null || last === undefined)) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value === null || value === undefined) continue;
    if (value < 0) throw new GraphQLError(`Argument '${name}' must be a non-negative integer.`, { extensions: { code: "BAD_REQUEST" } });
    if (value > MAX_PAGE_SIZE) {
      throw new GraphQLError(`Argument '${name}' must be at most ${MAX_PAGE_SIZE} (received ${value}).`, {
        extensions: { code: "BAD_REQUEST", maxPageSize: MAX_PAGE_SIZE },
      });
    }
  }
}

/**
 * Pages `items` (already filtered). `sortValue` gives each item's sort value; ties break by id.
 * `view` turns an item into what the GraphQL resolvers return.
 */
export function paginate<T extends { id: number }, V>(
  items: readonly T[],
  args: ConnectionArgs,
  sortValue: (item: T) => SortValue,
  view: (item: T) => V,
): Connection<V> {
  checkPageArgs(args);
  const direction = args.reverse ? -1 : 1;
  const keyed = items.map((item) => ({ item, key: { last_id: item.id, last_value: sortValue(item) } }));
  keyed.sort((a, b) => direction * compareKeys(a.key, b.key));
  let start = 0;
  let end = keyed.length;
  if (args.after) {
    const after = decodeCursor(args.after);
    start = keyed.findIndex((entry) => direction * compareKeys(entry.key, after) > 0);
    if (start === -1) start = keyed.length;
  }
  if (args.before) {
    const before = decodeCursor(args.before);
    const index = keyed.findIndex((entry) => direction * compareKeys(entry.key, before) >= 0);
    end = index === -1 ? keyed.length : index;
  }
  let from = start;
  let to = Math.max(start, end);
  if (typeof args.first === "number") to = Math.min(to, from + args.first);
  if (typeof args.last === "number") from = Math.max(from, to - args.last);
  const page = keyed.slice(from, to);
  const edges = page.map((entry) => ({ cursor: encodeCursor(entry.key), node: view(entry.item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: to < keyed.length,
      hasPreviousPage: from > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

type Term = { field: string | null; value: string; negate: boolean };

/** Splits a search string into OR-groups of AND-ed terms ("title:mug OR vendor:acme -tag:sale"). */
function parseSearch(query: string): Term[][] {
  const tokens = query.match(/-?(?:[\w.]+:)?(?:"[^"]*"|'[^']*'|[^\s()]+)/g) ?? [];
  const groups: Term[][] = [[]];
  for (const raw of tokens) {
    if (raw === "OR") {
      groups.push([]);
      continue;
    }
    if (raw === "AND") continue;
    const negate = raw.startsWith("-") || raw.startsWith("NOT ");
    const body = negate ? raw.slice(1) : raw;
    const colon = /^([\w.]+):(.*)$/.exec(body);
    const field = colon ? (colon[1] ?? "").toLowerCase() : null;
    const value = (colon ? (colon[2] ?? "") : body).replace(/^["']|["']$/g, "");
    groups[groups.length - 1]?.push({ field, value, negate });
  }
  return groups.filter((group) => group.length > 0);
}

function textMatch(haystack: string, pattern: string): boolean {
  const needle = pattern.toLowerCase();
  const text = haystack.toLowerCase();
  if (needle.includes("*")) {
    const regex = new RegExp(`^${needle.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    return regex.test(text) || text.split(/\s+/).some((word) => regex.test(word));
  }
  return text.includes(needle);
}

function termMatches(product: SimProduct, term: Term): boolean {
  const value = term.value;
  const anyOf = (candidates: string[]) => value.split(",").some((option) => candidates.some((candidate) => textMatch(candidate, option.trim())));
  switch (term.field) {
    case null:
      return [product.title, product.vendor, product.productType, product.handle, ...product.tags].some((text) => textMatch(text, value));
    case "title":
      return textMatch(product.title, value);
    case "vendor":
      return anyOf([product.vendor]);
    case "product_type":
      return anyOf([product.productType]);
    case "handle":
      return value.split(",").some((handle) => handle.trim().toLowerCase() === product.handle);
    case "tag":
      return product.tags.some((tag) => tag.toLowerCase() === value.toLowerCase());
    case "tag_not":
      return !product.tags.some((tag) => tag.toLowerCase() === value.toLowerCase());
    case "status":
      return value
        .split(",")
        .map((status) => status.trim().toUpperCase())
        .includes(product.status);
    case "id": {
      const comparison = /^(>=|<=|>|<)?(\d+)$/.exec(value);
      if (!comparison) return false;
      const target = Number(comparison[2]);
      switch (comparison[1]) {
        case ">":
          return product.id > target;
        case ">=":
          return product.id >= target;
        case "<":
          return product.id < target;
        case "<=":
          return product.id <= target;
        default:
          return product.id === target;
      }
    }
    default:
      // Unknown filters are ignored by Shopify's search (with a warning); do the same.
      return true;
  }
}

/** Products matching a Shopify search query (subset: default terms, title, vendor, product_type, handle, tag, status, id). */
export function matchesProductQuery(product: SimProduct, query: string | null | undefined): boolean {
  if (!query || !query.trim()) return true;
  const groups = parseSearch(query);
  if (groups.length === 0) return true;
  return groups.some((group) => group.every((term) => termMatches(product, term) !== term.negate));
}
