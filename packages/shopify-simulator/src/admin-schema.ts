// The real Shopify Admin GraphQL schema (API version 2026-10), offline.
//
// Source: schema/admin_2026-10.json.gz (in this package), copied from @shopify/dev-mcp@1.16.0. It
// holds the introspection result under `data` and, under `offline_scopes.items[]`, the access
// scopes an offline token needs for each type and field. This module answers three questions
// about an operation without any network: is it valid (in the error shape Shopify answers with),
// which access scopes does it need, and does a set of granted scopes cover them.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  getNamedType,
  GraphQLError,
  NoDeprecatedCustomRule,
  parse,
  specifiedRules,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { DocumentNode, GraphQLSchema, IntrospectionQuery } from "graphql";
import { lineColumn, parseErrorToShopify, validationErrorsToShopify } from "./graphql-errors.ts";
import type { ShopifyGraphqlError } from "./graphql-errors.ts";

export type { ShopifyGraphqlError } from "./graphql-errors.ts";

export const ADMIN_API_VERSION = "2026-10";

const FIXTURE = new URL("../schema/admin_2026-10.json.gz", import.meta.url);

/** One entry of the dump's `offline_scopes.items[]`. */
export interface OfflineScopeItem {
  type: "type" | "field";
  typeName: string;
  fieldName?: string;
  requiredAccess?: string;
  /** Alternatives: any ONE of these scopes grants access. Empty: no scope needed. */
  offlineScopes: string[];
}

interface AdminDump {
  data: IntrospectionQuery;
  offline_scopes: { items: OfflineScopeItem[] };
}

let dump: AdminDump | undefined;
let schema: GraphQLSchema | undefined;
let scopeIndex: Map<string, OfflineScopeItem> | undefined;

function loadDump(): AdminDump {
  dump ??= JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString("utf8")) as AdminDump;
  return dump;
}

/** The Admin API schema, built once per process. */
export function adminSchema(): GraphQLSchema {
  schema ??= buildClientSchema(loadDump().data, { assumeValid: true });
  return schema;
}

/** Scope entries keyed by `Type` (type level) or `Type.field` (field level). */
export function offlineScopeIndex(): ReadonlyMap<string, OfflineScopeItem> {
  if (!scopeIndex) {
    scopeIndex = new Map();
    for (const item of loadDump().offline_scopes.items) {
      const key = item.type === "type" ? item.typeName : `${item.typeName}.${item.fieldName ?? ""}`;
      scopeIndex.set(key, item);
    }
  }
  return scopeIndex;
}

/** The rules graphql-js knows, plus deprecated-usage as an error (our policy, not Shopify's). */
const RULES = [...specifiedRules, NoDeprecatedCustomRule];

/**
 * Validates one GraphQL document against the Admin schema. Returns [] when valid, otherwise the
 * errors in the shape Shopify's Admin API answers with (graphql-ruby static validation):
 * `{ message, locations, path, extensions: { code, typeName?, fieldName?, ... } }`.
 */
export function validateAdminOperation(query: string): ShopifyGraphqlError[] {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return [parseErrorToShopify(error)];
    throw error;
  }
  return validateAdminDocument(document);
}

/** Same as validateAdminOperation, for an already parsed document. */
export function validateAdminDocument(document: DocumentNode): ShopifyGraphqlError[] {
  return validationErrorsToShopify(adminSchema(), document, RULES);
}

/** What one place of an operation needs: any one scope of `anyOf`. */
export interface ScopeRequirement {
  /** `Type` for a type-level requirement, `Type.field` for a field-level one. */
  coordinate: string;
  anyOf: string[];
  /** Shopify's own wording, e.g. "`read_products` access scope." */
  requiredAccess: string;
  /** The response path and location of the first field that touched it. */
  fieldName: string;
  path: (string | number)[];
  locations: { line: number; column: number }[];
}

/** Every scope requirement an operation touches (types and fields), first occurrence each. */
export function scopeRequirements(query: string | DocumentNode): ScopeRequirement[] {
  const document = typeof query === "string" ? parse(query) : query;
  const schema = adminSchema();
  const index = offlineScopeIndex();
  const typeInfo = new TypeInfo(schema);
  const found = new Map<string, ScopeRequirement>();
  const path: string[] = [];

  const add = (key: string, fieldName: string, loc: { line: number; column: number } | undefined) => {
    if (found.has(key)) return;
    const item = index.get(key);
    if (!item || item.offlineScopes.length === 0) return;
    found.set(key, {
      coordinate: key,
      anyOf: [...item.offlineScopes],
      requiredAccess: requiredAccessText(item),
      fieldName,
      path: [...path],
      locations: loc ? [loc] : [],
    });
  };

  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          path.push(node.alias?.value ?? node.name.value);
          const parent = typeInfo.getParentType();
          const fieldDef = typeInfo.getFieldDef();
          if (!parent || !fieldDef) return;
          const loc = node.loc ? lineColumn(node.loc.source.body, node.loc.start) : undefined;
          add(`${parent.name}.${fieldDef.name}`, node.name.value, loc);
          const named = getNamedType(fieldDef.type);
          add(named.name, node.name.value, loc);
        },
        leave() {
          path.pop();
        },
      },
      InlineFragment(node) {
        if (node.typeCondition) add(node.typeCondition.name.value, node.typeCondition.name.value, undefined);
      },
      FragmentDefinition(node) {
        add(node.typeCondition.name.value, node.typeCondition.name.value, undefined);
      },
    }),
  );
  return [...found.values()];
}

/**
 * The access scopes an operation needs, as one list: for every requirement with alternatives the
 * first alternative is chosen unless a scope already chosen covers it. E.g. an orders query gives
 * ["read_orders"], a productSet mutation ["write_products"] (which implies read_products). Sorted.
 */
export function requiredScopes(query: string | DocumentNode): string[] {
  const requirements = scopeRequirements(query);
  // Single-choice requirements first, so alternatives reuse them where possible.
  requirements.sort((a, b) => a.anyOf.length - b.anyOf.length);
  const chosen: string[] = [];
  for (const requirement of requirements) {
    if (requirement.anyOf.some((scope) => scopeSatisfied([scope], chosen))) continue;
    const first = requirement.anyOf[0];
    if (first) chosen.push(first);
  }
  return [...new Set(chosen)].sort();
}

/** The requirements of an operation that `granted` does not meet (write_X implies read_X). */
export function missingScopes(query: string | DocumentNode, granted: readonly string[] | string): ScopeRequirement[] {
  const grantedList = toScopeList(granted);
  return scopeRequirements(query).filter(
    (requirement) => !requirement.anyOf.some((scope) => scopeSatisfied([scope], grantedList)),
  );
}

/** True when every scope of `required` is granted, where `write_X` implies `read_X`. */
export function scopeSatisfied(required: readonly string[] | string, granted: readonly string[] | string): boolean {
  const have = new Set(toScopeList(granted));
  return toScopeList(required).every((scope) => {
    if (have.has(scope)) return true;
    const read = /^(unauthenticated_)?read_(.+)$/.exec(scope);
    return read !== null && have.has(`${read[1] ?? ""}write_${read[2] ?? ""}`);
  });
}

/** "read_products, write_products" or an array -> a clean list. */
export function toScopeList(scopes: readonly string[] | string): string[] {
  const list = typeof scopes === "string" ? scopes.split(",") : [...scopes];
  return list.map((scope) => scope.trim()).filter((scope) => scope.length > 0);
}

function requiredAccessText(item: OfflineScopeItem): string {
  if (item.requiredAccess) {
    // Drop the user-permission sentences ("Also: The user must have ..."): tokens don't have users.
    const main = item.requiredAccess.split(" Also:")[0] ?? item.requiredAccess;
    return main.trim();
  }
  return `${item.offlineScopes.map((scope) => `\`${scope}\``).join(" or ")} access scope.`;
}

