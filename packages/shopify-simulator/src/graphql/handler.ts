// POST /admin/api/<version>/graphql.json — the Admin GraphQL endpoint, answered like Shopify:
//   401 {"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}
//   200 {"errors":[...]} for invalid documents (graphql-ruby shapes, see ../graphql-errors.ts)
//   200 {"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED",...}}],"extensions":{"cost":...}}
//   200 {"data":...,"extensions":{"cost":{requestedQueryCost,actualQueryCost,throttleStatus}}}
// Operations run with graphql-js `execute` against the real 2026-10 schema; the resolvers are in
// root.ts / views.ts. Root fields the simulator does not implement are refused before execution.
import { execute, getNamedType, getVariableValues, GraphQLError, isNonNullType, Kind, parse } from "graphql";
import type { DocumentNode, FieldNode, FragmentDefinitionNode, TypeNode, GraphQLFieldResolver, GraphQLTypeResolver, OperationDefinitionNode, SelectionSetNode } from "graphql";
import { adminSchema, scopeRequirements, scopeSatisfied, validateAdminDocument, ADMIN_API_VERSION } from "../admin-schema.ts";
import type { ScopeRequirement, ShopifyGraphqlError } from "../admin-schema.ts";
import { lineColumn, parseErrorToShopify } from "../graphql-errors.ts";
import type { HttpResult, SimContext } from "../context.ts";
import { actualQueryCost, requestedQueryCost } from "../cost.ts";
import type { CostContext } from "../cost.ts";
import { authenticateAccessToken } from "../oauth.ts";
import type { SimShop } from "../state.ts";
import { rootFields } from "./root.ts";

export const INVALID_TOKEN_BODY = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };
const RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits";
const ACCESS_SCOPE_DOCS = "https://shopify.dev/api/usage/access-scopes";

export interface GraphqlLogEntry {
  shop: string;
  operationName: string | null;
  operation: "query" | "mutation" | "subscription" | null;
  query: string;
  variables: Record<string, unknown>;
  requestedQueryCost: number | null;
  actualQueryCost: number | null;
  outcome: "ok" | "errors" | "invalid" | "throttled" | "max-cost" | "access-denied" | "unauthorized";
  at: number;
}

const MAX_LOG = 2000;

export interface GraphqlRequest {
  accessToken: string | undefined;
  contentType: string | undefined;
  body: string;
}

const json = (body: unknown, status = 200): HttpResult => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8", "x-shopify-api-version": ADMIN_API_VERSION },
  body,
});

export async function handleAdminGraphql(ctx: SimContext, shop: SimShop, request: GraphqlRequest): Promise<HttpResult> {
  const { state, options } = ctx;
  state.counters.graphqlRequests++;
  const log = (entry: Omit<GraphqlLogEntry, "shop" | "at">) => {
    state.graphqlLog.push({ ...entry, shop: shop.domain, at: ctx.now() });
    if (state.graphqlLog.length > MAX_LOG) state.graphqlLog.splice(0, state.graphqlLog.length - MAX_LOG);
  };

  const token = authenticateAccessToken(ctx, shop, request.accessToken);
  if (!token) {
    state.counters.unauthorized++;
    log({ operationName: null, operation: null, query: "", variables: {}, requestedQueryCost: null, actualQueryCost: null, outcome: "unauthorized" });
    return json(INVALID_TOKEN_BODY, 401);
  }

  // The body: JSON {query, variables, operationName} or a raw application/graphql document.
  let query: unknown;
  let variables: Record<string, unknown> = {};
  let operationName: string | null = null;
  if ((request.contentType ?? "").includes("application/graphql")) {
    query = request.body;
  } else {
    try {
      const parsed = JSON.parse(request.body) as { query?: unknown; variables?: unknown; operationName?: unknown };
      query = parsed.query;
      if (parsed.variables && typeof parsed.variables === "object") variables = parsed.variables as Record<string, unknown>;
      if (typeof parsed.operationName === "string" && parsed.operationName) operationName = parsed.operationName;
    } catch {
      return json({ errors: "Bad Request: the request body is not valid JSON" }, 400);
    }
  }
  if (typeof query !== "string" || !query.trim()) {
    return json({ errors: { query: "Required parameter missing or invalid" } }, 400);
  }
  const invalid = (errors: unknown[]) => {
    state.counters.validationErrors++;
    log({ operationName, operation: null, query, variables, requestedQueryCost: null, actualQueryCost: null, outcome: "invalid" });
    return json({ errors });
  };

  const analysed = analyse(query);
  if ("parseError" in analysed) return invalid([analysed.parseError]);
  const { document, validationErrors, requirements } = analysed;
  if (validationErrors.length > 0) return invalid(validationErrors);

  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((candidate) => candidate.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) {
    return invalid([{ message: operationName ? `No operation named "${operationName}"` : "An operation name is required" }]);
  }
  const name = operation.name?.value ?? operationName;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;

  const schema = adminSchema();
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return invalid(coerced.errors.map((error) => variableError(error, operation)));
  const costContext: CostContext = { schema, operation, fragments, variables: coerced.coerced };

  const denied = requirements.filter((requirement) => !requirement.anyOf.some((scope) => scopeSatisfied([scope], token.scopes)));
  if (denied.length > 0) {
    state.counters.accessDenied++;
    log({ operationName: name, operation: operation.operation, query, variables, requestedQueryCost: null, actualQueryCost: null, outcome: "access-denied" });
    return json({
      errors: denied.map((requirement) => ({
        message: `Access denied for ${requirement.fieldName} field. Required access: ${requirement.requiredAccess}`,
        locations: requirement.locations,
        path: requirement.path,
        extensions: { code: "ACCESS_DENIED", documentation: ACCESS_SCOPE_DOCS, requiredAccess: requirement.requiredAccess },
      })),
      data: null,
    });
  }

  const root = rootFields(ctx, shop);
  const rootValue = operation.operation === "mutation" ? root.mutation : root.query;
  const rootType = operation.operation === "mutation" ? "Mutation" : "QueryRoot";
  const unsupported = rootFieldNodes(operation.selectionSet, fragments).filter((node) => !node.name.value.startsWith("__") && !(node.name.value in rootValue));
  if (unsupported.length > 0) {
    return invalid(
      unsupported.map((node) => ({
        message: `Field '${node.name.value}' on type '${rootType}' is not implemented by the Lightbox Shopify simulator`,
        locations: node.loc ? [lineColumn(query as string, node.loc.start)] : [],
        path: [node.alias?.value ?? node.name.value],
        extensions: { code: "NOT_IMPLEMENTED", typeName: rootType, fieldName: node.name.value },
      })),
    );
  }

  const requested = requestedQueryCost(costContext);
  const bucket = state.bucket(shop.domain, options.apiKey, options.bucketSize, options.restoreRate, ctx.now());
  if (requested > options.maxQueryCost) {
    state.counters.maxCostExceeded++;
    log({ operationName: name, operation: operation.operation, query, variables, requestedQueryCost: requested, actualQueryCost: null, outcome: "max-cost" });
    return json({
      errors: [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${options.maxQueryCost}).

See ${RATE_LIMIT_DOCS} for more information on how the
cost of a query is calculated.

To query larger amounts of data with fewer limits, bulk operations should be used instead.
See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.
`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: options.maxQueryCost, documentation: RATE_LIMIT_DOCS },
        },
      ],
    });
  }
  if (!bucket.tryTake(requested, ctx.now())) {
    state.counters.throttled++;
    log({ operationName: name, operation: operation.operation, query, variables, requestedQueryCost: requested, actualQueryCost: null, outcome: "throttled" });
    return json({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMIT_DOCS } }],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status(ctx.now()) } },
    });
  }

  const result = await execute({
    schema,
    document,
    operationName: name ?? undefined,
    rootValue,
    variableValues: variables,
    fieldResolver,
    typeResolver,
  });
  const actual = Math.min(requested, actualQueryCost(costContext, result.data ?? null));
  bucket.refund(requested - actual, ctx.now());
  state.counters.pointsSpent += actual;
  const body: Record<string, unknown> = {};
  if (result.errors && result.errors.length > 0) {
    state.counters.graphqlErrors++;
    body.errors = result.errors.map((error) => {
      const formatted = error.toJSON();
      const out: Record<string, unknown> = { message: formatted.message };
      if (formatted.locations) out.locations = formatted.locations;
      if (formatted.path) out.path = formatted.path;
      if (formatted.extensions && Object.keys(formatted.extensions).length > 0) out.extensions = formatted.extensions;
      return out;
    });
  }
  body.data = result.data ?? null;
  body.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status(ctx.now()) } };
  log({
    operationName: name,
    operation: operation.operation,
    query,
    variables,
    requestedQueryCost: requested,
    actualQueryCost: actual,
    outcome: result.errors?.length ? "errors" : "ok",
  });
  return json(body);
}

type Analysed =
  | { parseError: ShopifyGraphqlError }
  | { document: DocumentNode; validationErrors: ShopifyGraphqlError[]; requirements: ScopeRequirement[] };

const analysedCache = new Map<string, Analysed>();
const MAX_CACHED_DOCUMENTS = 500;

/** Parse, validation and scope analysis of a document; cached, apps send the same few documents. */
function analyse(query: string): Analysed {
  const cached = analysedCache.get(query);
  if (cached) return cached;
  let result: Analysed;
  try {
    const document = parse(query);
    const validationErrors = validateAdminDocument(document);
    result = { document, validationErrors, requirements: validationErrors.length > 0 ? [] : scopeRequirements(document) };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    result = { parseError: parseErrorToShopify(error) };
  }
  if (analysedCache.size >= MAX_CACHED_DOCUMENTS) {
    const oldest = analysedCache.keys().next().value;
    if (oldest !== undefined) analysedCache.delete(oldest);
  }
  analysedCache.set(query, result);
  return result;
}

/** Reads a field from the view objects: plain values, or functions taking the field's arguments. */
const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, _context, info) => {
  if (source !== null && typeof source === "object") {
    const value = (source as Record<string, unknown>)[info.fieldName];
    if (typeof value === "function") return (value as (a: unknown) => unknown)(args);
    if (value !== undefined) return value;
  }
  if (isNonNullType(info.returnType)) {
    throw new GraphQLError(`Field '${info.parentType.name}.${info.fieldName}' is not implemented by the Lightbox Shopify simulator`, {
      extensions: { code: "NOT_IMPLEMENTED", typeName: info.parentType.name, fieldName: info.fieldName, returnType: getNamedType(info.returnType).name },
    });
  }
  return null;
};

const typeResolver: GraphQLTypeResolver<unknown, unknown> = (value) =>
  value !== null && typeof value === "object" ? ((value as { __typename?: string }).__typename ?? undefined) : undefined;

/** Root fields of an operation, through fragments. */
function rootFieldNodes(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>) {
  const out: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) out.push(...rootFieldNodes(selection.selectionSet, fragments));
    else {
      const fragment = fragments[selection.name.value];
      if (fragment) out.push(...rootFieldNodes(fragment.selectionSet, fragments));
    }
  }
  return out;
}

/** graphql-js variable coercion errors -> graphql-ruby's "was provided invalid value" shape. */
function variableError(error: GraphQLError, operation: OperationDefinitionNode): Record<string, unknown> {
  const match = /^Variable "\$(\w+)"/.exec(error.message);
  const variable = match?.[1] ?? "";
  const definition = operation.variableDefinitions?.find((candidate) => candidate.variable.name.value === variable);
  const typeString = definition ? printType(definition.type) : "";
  let explanation = error.message;
  let path: (string | number)[] = [];
  if (/was not provided|must not be null/.test(error.message)) explanation = "Expected value to not be null";
  else {
    const detail = /got invalid value .*?(?: at "([^"]+)")?; (.*)$/s.exec(error.message);
    if (detail) {
      explanation = (detail[2] ?? "").replace(/\.$/, "");
      path = (detail[1] ?? "")
        .replace(/\[(\d+)\]/g, ".$1")
        .split(".")
        .slice(1)
        .filter(Boolean)
        .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
    }
  }
  return {
    message: `Variable $${variable} of type ${typeString} was provided invalid value${path.length ? ` for ${path.join(".")}` : ""}`,
    locations: error.locations ?? [],
    extensions: { value: null, problems: [{ path, explanation }] },
  };
}

function printType(type: TypeNode): string {
  if (type.kind === Kind.NON_NULL_TYPE) return `${printType(type.type)}!`;
  if (type.kind === Kind.LIST_TYPE) return `[${printType(type.type)}]`;
  return type.name.value;
}

