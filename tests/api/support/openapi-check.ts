// A structural validator for our OpenAPI 3.1 document and a JSON Schema validator for the
// subset of keywords it uses. No packages: the structural check refuses any schema keyword the
// value validator does not implement, so nothing in the document is silently ignored.
import type { JsonSchema, OpenApiDocument, Operation, Parameter, ResponseObject } from "~/api/contract/openapi-types";

const SCHEMA_KEYWORDS = new Set([
  "$ref", "type", "description", "properties", "required", "additionalProperties", "items", "anyOf", "enum", "const",
  "format", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "default", "examples",
]);
const TYPES = new Set(["object", "array", "string", "integer", "number", "boolean", "null"]);
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

type Json = unknown;

/** Resolves a local JSON pointer ("#/components/schemas/Asset"). */
export function resolvePointer(doc: Json, pointer: string): Json {
  if (!pointer.startsWith("#/")) throw new Error(`only local $refs are supported, got ${pointer}`);
  let node: Json = doc;
  for (const raw of pointer.slice(2).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (!node || typeof node !== "object" || !(key in (node as object))) return undefined;
    node = (node as Record<string, Json>)[key];
  }
  return node;
}

function deref<T>(doc: Json, node: T | { $ref: string }): T {
  let current: unknown = node;
  for (let i = 0; i < 10 && current && typeof current === "object" && "$ref" in current; i++) {
    current = resolvePointer(doc, (current as { $ref: string }).$ref);
  }
  return current as T;
}

function checkSchema(doc: Json, schema: JsonSchema, where: string, errors: string[]) {
  if (!schema || typeof schema !== "object") return void errors.push(`${where}: schema must be an object`);
  for (const key of Object.keys(schema)) if (!SCHEMA_KEYWORDS.has(key)) errors.push(`${where}: unsupported schema keyword "${key}"`);
  if (schema.$ref !== undefined && resolvePointer(doc, schema.$ref) === undefined) errors.push(`${where}: $ref ${schema.$ref} does not resolve`);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  for (const t of types) if (!TYPES.has(t)) errors.push(`${where}: unknown type "${t}"`);
  if (schema.required) {
    if (!Array.isArray(schema.required)) errors.push(`${where}: required must be an array`);
    else if (schema.properties) {
      for (const name of schema.required) if (!(name in schema.properties)) errors.push(`${where}: required "${name}" is not a property`);
    }
  }
  if (schema.enum !== undefined && (!Array.isArray(schema.enum) || schema.enum.length === 0)) errors.push(`${where}: enum must be a non-empty array`);
  if (schema.pattern !== undefined) {
    try {
      new RegExp(schema.pattern, "u");
    } catch {
      errors.push(`${where}: pattern does not compile`);
    }
  }
  for (const [name, child] of Object.entries(schema.properties ?? {})) checkSchema(doc, child, `${where}.properties.${name}`, errors);
  if (schema.items) checkSchema(doc, schema.items, `${where}.items`, errors);
  if (schema.anyOf !== undefined) {
    if (!Array.isArray(schema.anyOf) || schema.anyOf.length === 0) errors.push(`${where}: anyOf must be a non-empty array`);
    else schema.anyOf.forEach((branch, i) => checkSchema(doc, branch, `${where}.anyOf[${i}]`, errors));
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    checkSchema(doc, schema.additionalProperties, `${where}.additionalProperties`, errors);
  }
  if (schema.default !== undefined) {
    for (const problem of validateValue(doc, { ...schema, default: undefined }, schema.default, `${where}.default`)) errors.push(problem);
  }
  for (const [i, example] of (schema.examples ?? []).entries()) {
    for (const problem of validateValue(doc, { ...schema, examples: undefined }, example, `${where}.examples[${i}]`)) errors.push(problem);
  }
}

function collectRefs(node: Json, path: string, out: Array<{ ref: string; path: string }>) {
  if (Array.isArray(node)) node.forEach((child, i) => collectRefs(child, `${path}[${i}]`, out));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") out.push({ ref: value, path });
      else collectRefs(value, `${path}.${key}`, out);
    }
  }
}

/** Structural checks of an OpenAPI 3.1 document; returns every problem found. */
export function validateOpenApiDocument(doc: OpenApiDocument): string[] {
  const errors: string[] = [];
  if (!/^3\.1\.\d+$/.test(doc.openapi)) errors.push(`openapi must be 3.1.x, got ${doc.openapi}`);
  if (!doc.info?.title || !doc.info?.version) errors.push("info.title and info.version are required");
  if (!Array.isArray(doc.servers) || doc.servers.length === 0) errors.push("servers must list at least one server");

  const refs: Array<{ ref: string; path: string }> = [];
  collectRefs(doc, "#", refs);
  for (const { ref, path } of refs) if (resolvePointer(doc, ref) === undefined) errors.push(`${path}: $ref ${ref} does not resolve`);

  for (const group of ["schemas", "parameters", "headers", "responses", "securitySchemes"] as const) {
    for (const name of Object.keys(doc.components?.[group] ?? {})) {
      if (!/^[a-zA-Z0-9._-]+$/.test(name)) errors.push(`components.${group}: bad name "${name}"`);
    }
  }
  for (const [name, schema] of Object.entries(doc.components.schemas)) checkSchema(doc, schema, `components.schemas.${name}`, errors);
  for (const [name, scheme] of Object.entries(doc.components.securitySchemes)) {
    if (scheme.type !== "http" || scheme.scheme !== "bearer") errors.push(`securitySchemes.${name}: expected http bearer`);
  }

  const tags = new Set(doc.tags.map((t) => t.name));
  const operationIds = new Set<string>();
  const checkSecurity = (security: Array<Record<string, string[]>> | undefined, where: string) => {
    for (const requirement of security ?? []) {
      for (const name of Object.keys(requirement)) if (!(name in doc.components.securitySchemes)) errors.push(`${where}: unknown security scheme ${name}`);
    }
  };
  checkSecurity(doc.security, "security");

  const checkOperation = (template: string, method: string, op: Operation, where: string) => {
    if (!op.operationId || !/^[A-Za-z][A-Za-z0-9_]*$/.test(op.operationId)) errors.push(`${where}: operationId missing or malformed`);
    else if (operationIds.has(op.operationId)) errors.push(`${where}: duplicate operationId ${op.operationId}`);
    else operationIds.add(op.operationId);
    if (!op.summary) errors.push(`${where}: summary is required`);
    for (const tag of op.tags ?? []) if (!tags.has(tag)) errors.push(`${where}: tag "${tag}" is not declared`);
    checkSecurity(op.security, where);

    const params = (op.parameters ?? []).map((p) => deref<Parameter>(doc, p));
    const seen = new Set<string>();
    for (const p of params) {
      if (!p || !p.name || !["path", "query", "header", "cookie"].includes(p.in)) {
        errors.push(`${where}: malformed parameter`);
        continue;
      }
      const key = `${p.in}:${p.name.toLowerCase()}`;
      if (seen.has(key)) errors.push(`${where}: parameter ${p.name} declared twice`);
      seen.add(key);
      if (p.in === "path" && p.required !== true) errors.push(`${where}: path parameter ${p.name} must be required`);
      if (!p.schema) errors.push(`${where}: parameter ${p.name} has no schema`);
      else checkSchema(doc, p.schema, `${where}.parameters.${p.name}`, errors);
    }
    const templated = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const name of templated) if (!params.some((p) => p.in === "path" && p.name === name)) errors.push(`${where}: path parameter {${name}} is not declared`);
    for (const p of params) if (p.in === "path" && !templated.includes(p.name)) errors.push(`${where}: path parameter ${p.name} is not in the path`);

    if (op.requestBody) {
      if (["get", "delete", "head"].includes(method)) errors.push(`${where}: ${method} must not have a request body`);
      for (const [type, media] of Object.entries(op.requestBody.content ?? {})) checkSchema(doc, media.schema, `${where}.requestBody.${type}`, errors);
    }
    const responses = Object.entries(op.responses ?? {});
    if (responses.length === 0) errors.push(`${where}: at least one response is required`);
    for (const [status, raw] of responses) {
      if (!/^([1-5](\d\d|XX)|default)$/.test(status)) errors.push(`${where}: bad response key ${status}`);
      const res = deref<ResponseObject>(doc, raw);
      if (!res?.description) errors.push(`${where}.responses.${status}: description is required`);
      for (const [type, media] of Object.entries(res?.content ?? {})) checkSchema(doc, media.schema, `${where}.responses.${status}.${type}`, errors);
    }
  };

  const checkPaths = (paths: Record<string, Record<string, Operation>>, kind: string) => {
    for (const [template, item] of Object.entries(paths ?? {})) {
      if (kind === "paths" && (!template.startsWith("/") || (template.length > 1 && template.endsWith("/")))) {
        errors.push(`paths: "${template}" must start with / and not end with /`);
      }
      for (const [method, op] of Object.entries(item)) {
        if (!(METHODS as readonly string[]).includes(method)) {
          errors.push(`${kind}.${template}: unknown method ${method}`);
          continue;
        }
        checkOperation(kind === "paths" ? template : "", method, op, `${kind}.${template}.${method}`);
      }
    }
  };
  checkPaths(doc.paths as Record<string, Record<string, Operation>>, "paths");
  checkPaths((doc.webhooks ?? {}) as Record<string, Record<string, Operation>>, "webhooks");
  return errors;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Validates a value against a schema (the keyword subset above); returns the problems. */
export function validateValue(doc: Json, schema: JsonSchema, value: unknown, path = "$"): string[] {
  if (schema.$ref) return validateValue(doc, resolvePointer(doc, schema.$ref) as JsonSchema, value, path);
  const errors: string[] = [];
  if (schema.anyOf) {
    const failures = schema.anyOf.map((branch) => validateValue(doc, branch, value, path));
    if (!failures.some((problems) => problems.length === 0)) errors.push(`${path}: matches none of anyOf (${failures.map((p) => p[0]).join(" / ")})`);
  }
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = allowed.some((t) => t === actual || (t === "number" && actual === "integer"));
    if (!ok) return [`${path}: expected ${allowed.join("|")}, got ${actual}`];
  }
  if (schema.const !== undefined && value !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value as string)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(", ")}`);
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.pattern && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
    if (schema.format === "date-time" && (Number.isNaN(Date.parse(value)) || !/^\d{4}-\d\d-\d\dT/.test(value))) errors.push(`${path}: not a date-time`);
    if (schema.format === "uri" && !URL.canParse(value)) errors.push(`${path}: not a URI`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => errors.push(...validateValue(doc, schema.items!, item, `${path}[${i}]`)));
  }
  if (actual === "object") {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in object)) errors.push(`${path}: missing required "${name}"`);
    for (const [name, child] of Object.entries(object)) {
      const declared = schema.properties?.[name];
      if (declared) errors.push(...validateValue(doc, declared, child, `${path}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property "${name}"`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
        errors.push(...validateValue(doc, schema.additionalProperties, child, `${path}.${name}`));
      }
    }
  }
  return errors;
}

/** "/api/v1/assets/:id" -> "/assets/{id}" (paths in the document are relative to the server URL). */
export function openApiPath(routePattern: string): string {
  return routePattern.replace(/^\/api\/v1/, "").replace(/:([A-Za-z_]+)/g, "{$1}") || "/";
}

/**
 * Checks a real response against what the document says for (route, method): the status must be
 * documented, required headers present, and a JSON body must match the schema. Returns problems;
 * `null` when the document has no such operation (e.g. a 405 for an undeclared method).
 */
export function checkResponseAgainstDocument(
  doc: OpenApiDocument,
  routePattern: string,
  method: string,
  response: { status: number; headers: Headers },
  body: unknown,
): string[] | null {
  const item = doc.paths[openApiPath(routePattern)];
  const op = item?.[method.toLowerCase() as "get" | "post" | "delete"];
  if (!op) return null;
  const raw = op.responses[String(response.status)] ?? op.responses[`${String(response.status)[0]}XX`] ?? op.responses.default;
  const where = `${method} ${routePattern} -> ${response.status}`;
  if (!raw) return [`${where}: status ${response.status} is not documented (documented: ${Object.keys(op.responses).join(", ")})`];
  const documented = deref<ResponseObject>(doc, raw);
  const errors: string[] = [];
  for (const [name, headerRef] of Object.entries(documented.headers ?? {})) {
    const headerObject = deref<{ required?: boolean }>(doc, headerRef);
    if (headerObject.required && response.headers.get(name) === null) errors.push(`${where}: header ${name} is missing`);
  }
  const contentType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
  const media = documented.content ?? {};
  if (Object.keys(media).length === 0) {
    if (body !== null && body !== "") errors.push(`${where}: documented without a body, but one was sent`);
    return errors;
  }
  const mediaType = media[contentType];
  if (!mediaType) return [...errors, `${where}: content type ${contentType || "(none)"} is not documented (${Object.keys(media).join(", ")})`];
  errors.push(...validateValue(doc, mediaType.schema, body, `${where} body`));
  return errors;
}
