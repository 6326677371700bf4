// The OpenAPI 3.1 document, generated from the endpoints (endpoints.ts) and their zod schemas:
// requests with io "input" (what a client may send), responses with io "output" (what it gets).
// Served at GET /api/v1/openapi.json. Nothing here describes a field: only how endpoints map to
// OpenAPI (parameters, bodies, the responses every endpoint of a kind has, the standard headers).
import type { z } from "zod";

import { type Endpoint, PROBLEMS, type ProblemName, TAGS } from "./endpoint";
import { endpoints, webhooks } from "./endpoints";
import { componentJsonSchemas, componentRef, inlineJsonSchema } from "./json-schema";
import type { Header, JsonSchema, OpenApiDocument, Operation, Parameter, Ref, ResponseObject } from "./openapi-types";
import { idempotencyKeyHeader, parameterComponents, requestComponents } from "./requests";
import { ProblemSchema, responseComponents } from "./responses";

const HEADERS: Record<string, { component: string } & Header> = {
  "RateLimit-Limit": { component: "RateLimitLimit", description: "Requests allowed per window for this token.", required: true, schema: { type: "integer" } },
  "RateLimit-Remaining": { component: "RateLimitRemaining", description: "Requests left in the current window.", required: true, schema: { type: "integer" } },
  "RateLimit-Reset": { component: "RateLimitReset", description: "Seconds until the current window ends.", required: true, schema: { type: "integer" } },
  "Retry-After": { component: "RetryAfter", description: "Seconds to wait before retrying.", required: true, schema: { type: "integer" } },
  "Request-Id": { component: "RequestId", description: "This request's id, as shown in the request log.", required: true, schema: { type: "string" } },
  Location: { component: "Location", description: "URL of the created resource.", required: true, schema: { type: "string" } },
  "Idempotent-Replayed": {
    component: "IdempotentReplayed",
    description: '"true" when this is the stored response of an earlier request with the same Idempotency-Key.',
    schema: { type: "string", enum: ["true"] },
  },
  "WWW-Authenticate": { component: "WwwAuthenticate", description: "The Bearer challenge (RFC 6750).", required: true, schema: { type: "string" } },
};

const headerRefs = (names: readonly string[]): Record<string, Ref> =>
  Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${HEADERS[name]!.component}` }]));

const RATE_HEADERS = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Request-Id"];

/** The problem responses an endpoint has by its kind, then its own (endpoint.problems). */
export function problemsOf(endpoint: Endpoint): Record<number, ProblemName> {
  const out: Record<number, ProblemName> = {};
  if (endpoint.scope) Object.assign(out, { 400: "BadRequest", 401: "Unauthorized", 429: "TooManyRequests", 500: "InternalError" });
  if (endpoint.scope === "write") out[403] = "Forbidden";
  if (endpoint.method === "POST") Object.assign(out, { 409: "IdempotencyInFlight", 413: "PayloadTooLarge", 415: "UnsupportedMediaType", 422: "Unprocessable" });
  if (Object.keys(endpoint.params.shape).length > 0) out[404] = "NotFound";
  return { ...out, ...(endpoint.problems as Record<number, ProblemName>) };
}

/** A schema's description belongs to the parameter, not to its schema. */
function parameterObject(name: string, location: Parameter["in"], schema: z.ZodType): Parameter {
  const { description, ...json } = inlineJsonSchema(schema, "input");
  const required = location === "path" || !schema.safeParse(undefined).success;
  return { name, in: location, ...(required ? { required: true } : {}), ...(description ? { description } : {}), schema: json };
}

type Collected = Record<string, Parameter>;

function parameter(name: string, location: Parameter["in"], schema: z.ZodType, collected: Collected): Parameter | Ref {
  const id = parameterComponents.get(schema)?.id;
  if (!id) return parameterObject(name, location, schema);
  const built = parameterObject(name, location, schema);
  const seen = collected[id];
  if (seen && (seen.name !== name || seen.in !== location)) throw new Error(`Parameter ${id} is used as ${seen.in} ${seen.name} and as ${location} ${name}`);
  collected[id] = built;
  return { $ref: `#/components/parameters/${id}` };
}

function bodySchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const registry = io === "input" ? requestComponents : responseComponents;
  const id = registry.get(schema)?.id;
  return id ? { $ref: componentRef(id) } : inlineJsonSchema(schema, io);
}

function operation(endpoint: Endpoint, collected: Collected): Operation {
  const parameters: Array<Parameter | Ref> = [
    ...Object.entries(endpoint.params.shape).map(([name, schema]) => parameter(name, "path", schema as z.ZodType, collected)),
    ...Object.entries(endpoint.query.shape).map(([name, schema]) => parameter(name, "query", schema as z.ZodType, collected)),
    ...(endpoint.method === "POST" ? [parameter("Idempotency-Key", "header", idempotencyKeyHeader, collected)] : []),
  ];
  const successHeaders = (location: boolean) => [
    ...(endpoint.scope ? RATE_HEADERS : ["Request-Id"]),
    ...(location ? ["Location"] : []),
    ...(endpoint.method === "POST" ? ["Idempotent-Replayed"] : []),
  ];
  const responses: Record<string, ResponseObject | Ref> = {};
  for (const [status, success] of Object.entries(endpoint.responses)) {
    responses[status] = {
      description: success.description,
      headers: headerRefs(successHeaders(success.location === true)),
      ...(success.body ? { content: { "application/json": { schema: bodySchema(success.body, "output") } } } : {}),
    };
  }
  for (const [status, name] of Object.entries(problemsOf(endpoint))) responses[status] = { $ref: `#/components/responses/${name}` };
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    tags: endpoint.tags,
    ...(endpoint.scope ? { "x-lightbox-scope": endpoint.scope } : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(endpoint.body
      ? { requestBody: { required: true, content: { [endpoint.body.type]: { schema: bodySchema(endpoint.body.schema, "input") } } } }
      : {}),
    responses,
  };
}

function problemResponse(name: ProblemName): ResponseObject {
  const problem: { description: string; headers?: readonly string[] } = PROBLEMS[name];
  return {
    description: problem.description,
    headers: headerRefs(["Request-Id", ...(problem.headers ?? [])]),
    content: { "application/problem+json": { schema: { $ref: componentRef(responseComponents.get(ProblemSchema)!.id) } } },
  };
}

function componentSchemas(): Record<string, JsonSchema> {
  const responses = componentJsonSchemas(responseComponents, "output");
  const requests = componentJsonSchemas(requestComponents, "input");
  const clash = Object.keys(requests).filter((id) => id in responses);
  if (clash.length > 0) throw new Error(`Component ids used for a request and a response: ${clash.join(", ")}`);
  return { ...responses, ...requests };
}

let cached: Omit<OpenApiDocument, "servers"> | undefined;

function build(): Omit<OpenApiDocument, "servers"> {
  const collected: Collected = {};
  const paths: OpenApiDocument["paths"] = {};
  for (const endpoint of Object.values(endpoints) as Endpoint[]) {
    paths[endpoint.path] = { ...paths[endpoint.path], [endpoint.method.toLowerCase()]: operation(endpoint, collected) };
  }
  const hooks: OpenApiDocument["webhooks"] = {};
  for (const [name, hook] of Object.entries(webhooks)) {
    hooks[name] = {
      post: {
        operationId: hook.operationId,
        summary: hook.summary,
        description: hook.description,
        tags: [...hook.tags],
        security: [],
        requestBody: { required: true, content: { "application/json": { schema: bodySchema(hook.body, "output") } } },
        responses: { "200": { description: "Received (any 2xx)" } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Lightbox API",
      version: "1.0.0",
      description:
        "Turn product photos into studio images from scripts. Authenticate with a personal access token from Settings > API " +
        '(header "Authorization: Bearer lbx_..."). Errors are RFC 9457 problem documents. POST requests accept an ' +
        "Idempotency-Key header (kept 24 hours). Each token may make 120 requests per minute by default (RateLimit-* headers).",
    },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ bearerAuth: [] }],
    paths,
    webhooks: hooks,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "lbx_<36 base62 characters>",
          description: "A personal access token from Settings > API. Scopes: read; write (includes read).",
        },
      },
      parameters: collected,
      headers: Object.fromEntries(Object.values(HEADERS).map(({ component, ...header }) => [component, header])),
      responses: Object.fromEntries((Object.keys(PROBLEMS) as ProblemName[]).map((name) => [name, problemResponse(name)])),
      schemas: componentSchemas(),
    },
  };
}

/** The document for this installation (`serverUrl`: its /api/v1 URL). Built once, then copied. */
export function openApiDocument(serverUrl = "/api/v1"): OpenApiDocument {
  cached ??= build();
  const { openapi, jsonSchemaDialect, info, ...rest } = structuredClone(cached);
  return { openapi, jsonSchemaDialect, info, servers: [{ url: serverUrl, description: "This Lightbox installation" }], ...rest };
}
