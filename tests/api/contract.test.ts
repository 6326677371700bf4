// The document lists exactly what each route accepts: every path, query and header parameter and
// every body field, no more and no less. Two halves, each able to fail on its own:
//   1. Structure: the schemas a route export really parses with (the endpoint `apiRoute` closes
//      over, attached to the export) against the served document's parameters and requestBody.
//      Fails when a route parses with an endpoint or schema the generated document does not
//      reflect (an endpoint missing from the list, a generator that drops or invents a field).
//   2. Behaviour: every route, called through the router like a client would, refuses a field the
//      document does not list (400/422) and accepts each one it does list, with the document's
//      own example value. Fails when parsing lets something extra through (a loose object, a
//      route that reads input outside its schemas) or when the document lists a field the route
//      refuses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { configureApi } from "~/api/config.server";
import { openApiDocument } from "~/api/contract/document";
import type { Endpoint } from "~/api/contract/endpoint";
import { endpoints } from "~/api/contract/endpoints";
import type { JsonSchema, Operation, Parameter } from "~/api/contract/openapi-types";
import { encodeCursor } from "~/api/cursor.server";
import type { ApiHandler } from "~/api/route.server";
import { db } from "~/db.server";
import { createApiToken } from "~/tokens/create-token.server";

import { installShop, startHarness, type PublishHarness } from "../publish/support";
import { call } from "./support/api";
import { openApiPath, resolvePointer } from "./support/openapi-check";
import { loadApiRoutes } from "./support/router";
import { fixture } from "./support/storage";

const doc = openApiDocument();
const PROBE = "lightbox_probe";

type Served = { file: string; pattern: string; handler: ApiHandler; endpoint: Endpoint; op: Operation };

async function servedEndpoints(): Promise<Served[]> {
  const out: Served[] = [];
  for (const route of await loadApiRoutes()) {
    for (const exportName of ["loader", "action"] as const) {
      const handler = route.module[exportName] as ApiHandler | undefined;
      if (!handler?.endpoint) continue;
      if (out.some((s) => s.handler === handler)) continue; // `export const action = loader`
      const op = doc.paths[openApiPath(route.pattern)]?.[handler.endpoint.method.toLowerCase() as "get"];
      out.push({ file: route.file, pattern: route.pattern, handler, endpoint: handler.endpoint, op: op! });
    }
  }
  return out;
}

const deref = <T>(node: T | { $ref: string }): T => ("$ref" in (node as object) ? (resolvePointer(doc, (node as { $ref: string }).$ref) as T) : (node as T));
const parameters = (op: Operation, where: Parameter["in"]) => (op.parameters ?? []).map((p) => deref<Parameter>(p)).filter((p) => p.in === where);
const bodyOf = (op: Operation) => {
  const [type, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
  return type ? { type, schema: deref<JsonSchema>(media!.schema) } : null;
};
const sorted = (names: Iterable<string>) => [...names].sort();
/** What zod itself says about a field: required when it refuses `undefined`. */
const zodRequired = (shape: Record<string, { safeParse(value: unknown): { success: boolean } }>) =>
  sorted(Object.entries(shape).flatMap(([name, schema]) => (schema.safeParse(undefined).success ? [] : [name])));

describe("what a route parses = what the document lists", () => {
  it("every route export parses with an endpoint of the contract's list, which the document is generated from", async () => {
    const served = await servedEndpoints();
    expect(served.length).toBe(Object.keys(endpoints).length);
    for (const { file, endpoint, op } of served) {
      expect(Object.values(endpoints), `${file}: its endpoint is not in app/api/contract/endpoints.ts, so the document cannot list it`).toContain(endpoint);
      expect(op, `${file}: ${endpoint.method} ${endpoint.path} is not in the served document`).toBeDefined();
      expect(op.operationId).toBe(endpoint.operationId);
    }
  });

  it("path, query and header parameters: the same names, the same required ones", async () => {
    for (const { file, endpoint, op } of await servedEndpoints()) {
      const where = `${file} (${endpoint.operationId})`;
      expect(sorted(parameters(op, "path").map((p) => p.name)), `${where}: path parameters`).toEqual(sorted(Object.keys(endpoint.params.shape)));
      const query = parameters(op, "query");
      expect(sorted(query.map((p) => p.name)), `${where}: query parameters`).toEqual(sorted(Object.keys(endpoint.query.shape)));
      expect(sorted(query.filter((p) => p.required).map((p) => p.name)), `${where}: required query parameters`).toEqual(zodRequired(endpoint.query.shape));
      // The only header apiRoute reads besides Authorization: Idempotency-Key, on every POST.
      expect(parameters(op, "header").map((p) => p.name), `${where}: header parameters`).toEqual(endpoint.method === "POST" ? ["Idempotency-Key"] : []);
    }
  });

  it("request bodies: the same content type, fields and required fields, and no others allowed", async () => {
    for (const { file, endpoint, op } of await servedEndpoints()) {
      const where = `${file} (${endpoint.operationId})`;
      const documented = bodyOf(op);
      if (!endpoint.body) {
        expect(documented, `${where}: documents a body it does not parse`).toBeNull();
        continue;
      }
      expect(documented?.type, `${where}: body content type`).toBe(endpoint.body.type);
      const { shape } = endpoint.body.schema;
      expect(sorted(Object.keys(documented!.schema.properties ?? {})), `${where}: body fields`).toEqual(sorted(Object.keys(shape)));
      expect(sorted(documented!.schema.required ?? []), `${where}: required body fields`).toEqual(zodRequired(shape));
      expect(documented!.schema.additionalProperties, `${where}: the document must say other fields are refused`).toBe(false);
      const unknown = endpoint.body.schema.safeParse({ [PROBE]: 1 });
      expect(unknown.success === false && unknown.error.issues.some((i) => i.code === "unrecognized_keys"), `${where}: the body schema lets unknown fields through`).toBe(true);
    }
  });
});

// ---- behaviour ---------------------------------------------------------------------------------

/** A value the document says is valid: its example, default, first enum value, or one built from the type. */
function exampleOf(schema: JsonSchema, where: string): unknown {
  const s = deref<JsonSchema>(schema);
  if (s.examples?.length) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum.find((value) => value !== null);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  if (type === "boolean") return true;
  if (type === "integer" || type === "number") return s.minimum ?? 1;
  if (type === "array") return [exampleOf(s.items!, `${where}[]`)];
  if (type === "object") return Object.fromEntries((s.required ?? []).map((name) => [name, exampleOf(s.properties![name]!, `${where}.${name}`)]));
  if (type === "string" && !s.pattern && s.format !== "binary") return "x".repeat(Math.max(1, s.minLength ?? 1));
  throw new Error(`${where}: the document gives no example for this ${type} (add .meta({ examples }) to its schema)`);
}

let h: PublishHarness;
let token: string;
let shopId: string;
let cursors: Record<string, string>;

beforeAll(async () => {
  h = await startHarness();
  shopId = (await installShop(h.sim)).id;
  token = (await createApiToken(db, { shopId, name: "contract probe", scopes: ["read", "write"] })).plaintext;
  // Example webhook URLs must get past the network policy without DNS (this machine is offline).
  configureApi({ webhooks: { allowPrivateNetworks: true, timeoutMs: 1_000 } });
  // A cursor is only valid for the shop it was minted for: the one value the document cannot give.
  const cursor = encodeCursor(shopId, `${Date.now()}:probe`)!;
  cursors = { "/api/v1/assets": cursor, "/api/v1/generations": cursor, "/api/v1/usage": cursor };
});
afterAll(async () => {
  configureApi();
  await h?.stop();
});

type Probe = { query?: Record<string, string>; headers?: Record<string, string>; body?: Record<string, unknown> | null; form?: Record<string, string> };

/** The route's path with the document's example for each path parameter. */
const pathOf = (served: Served) =>
  served.pattern.replace(/:(\w+)/g, (_, name: string) => String(exampleOf(parameters(served.op, "path").find((p) => p.name === name)!.schema, name)));

async function send(served: Served, probe: Probe) {
  const path = pathOf(served);
  const search = new URLSearchParams(probe.query).toString();
  const url = `${path}${search ? `?${search}` : ""}`;
  const options = { method: served.endpoint.method, token, headers: { ...probe.headers } };
  if (probe.form) {
    // The documented binary field gets a real photo; the other fields are sent as text parts.
    const form = new FormData();
    for (const [name, value] of Object.entries(probe.form)) form.append(name, value);
    for (const [name, schema] of Object.entries(bodyOf(served.op)!.schema.properties ?? {})) {
      if (schema.format === "binary") form.append(name, new Blob([new Uint8Array(fixture("valid-photo.jpg"))], { type: "image/jpeg" }), "probe.jpg");
    }
    const encoded = new Response(form);
    const body = Buffer.from(await encoded.arrayBuffer());
    return call(url, { ...options, body, headers: { ...options.headers, "Content-Type": encoded.headers.get("content-type")! } });
  }
  return call(url, { ...options, ...(probe.body ? { json: probe.body } : {}) });
}

const named = (body: { errors?: Array<{ field: string }>; detail?: string } | null, field: string) =>
  (body?.errors ?? []).some((e) => e.field === field || e.field.startsWith(`${field}.`)) || new RegExp(`'${field}'`).test(body?.detail ?? "");

function minimalBody(served: Served): Probe {
  const body = bodyOf(served.op);
  if (!body) return {};
  if (body.type === "multipart/form-data") return { form: {} };
  return { body: exampleOf(body.schema, "body") as Record<string, unknown> };
}

describe("every route refuses what the document does not list, and accepts what it does", () => {
  it("an undocumented query parameter is refused with 400 naming it", async () => {
    for (const served of await servedEndpoints()) {
      const response = await send(served, { ...minimalBody(served), query: { [PROBE]: "1" } });
      expect([served.endpoint.operationId, response.status, response.body?.code]).toEqual([served.endpoint.operationId, 400, "INVALID_QUERY"]);
      expect(named(response.body, PROBE), `${served.endpoint.operationId}: ${response.text}`).toBe(true);
    }
  });

  it("an undocumented body field is refused with 422 naming it (also where the document has no body)", async () => {
    for (const served of (await servedEndpoints()).filter((s) => s.endpoint.method === "POST")) {
      const minimal = minimalBody(served);
      const probe: Probe = minimal.form ? { form: { [PROBE]: "1" } } : { body: { ...minimal.body, [PROBE]: 1 } };
      const response = await send(served, probe);
      expect([served.endpoint.operationId, response.status, response.body?.code]).toEqual([served.endpoint.operationId, 422, "UNPROCESSABLE"]);
      expect(named(response.body, PROBE), `${served.endpoint.operationId}: ${response.text}`).toBe(true);
    }
  });

  it("a POST the document gives no body takes none, or an empty object (curl -d '{}' sends it as a form)", async () => {
    for (const served of (await servedEndpoints()).filter((s) => s.endpoint.method === "POST" && !s.endpoint.body)) {
      for (const headers of [{ "Content-Type": "application/x-www-form-urlencoded" }, { "Content-Type": "application/json" }]) {
        const response = await call(pathOf(served), { method: "POST", token, headers, body: "{}" });
        expect([served.endpoint.operationId, response.status]).toEqual([served.endpoint.operationId, 404]); // past the parser: the example id names nothing
      }
      const form = await call(pathOf(served), { method: "POST", token, body: new URLSearchParams({ [PROBE]: "1" }) });
      expect(form.status, form.text).toBe(415);
    }
  });

  it("each documented parameter and body field is accepted with the document's example value", async () => {
    let accepted = 0;
    for (const served of await servedEndpoints()) {
      const id = served.endpoint.operationId;
      const minimal = minimalBody(served);
      const base = await send(served, minimal);
      // Refused by the contract: 400 (query, JSON), 415 or "Check the request body" (422). The domain may refuse it later (404, 422).
      const refused = base.status === 400 || base.status === 415 || /^Check the request body/.test(base.body?.detail ?? "");
      expect(refused, `${id}: the minimal request is refused: ${base.text}`).toBe(false);

      for (const p of parameters(served.op, "query")) {
        const value = p.name === "cursor" && cursors[served.pattern] ? cursors[served.pattern]! : String(exampleOf(p.schema, `${id} ?${p.name}`));
        const response = await send(served, { ...minimal, query: { [p.name]: value } });
        expect(response.status === 400 && named(response.body, p.name), `${id}: documented ?${p.name}=${value} refused: ${response.text}`).toBe(false);
        accepted++;
      }
      for (const p of parameters(served.op, "header")) {
        const response = await send(served, { ...minimal, headers: { [p.name]: `${String(exampleOf(p.schema, p.name))}-${accepted}` } });
        expect(response.status === 400 && named(response.body, p.name), `${id}: documented header ${p.name} refused: ${response.text}`).toBe(false);
        accepted++;
      }
      const body = bodyOf(served.op);
      if (!body || body.type !== "application/json") continue;
      for (const [name, schema] of Object.entries(body.schema.properties ?? {})) {
        const response = await send(served, { body: { ...minimal.body, [name]: exampleOf(schema, `${id} ${name}`) } });
        expect(response.status === 422 && named(response.body, name), `${id}: documented body field ${name} refused: ${response.text}`).toBe(false);
        accepted++;
      }
    }
    expect(accepted).toBeGreaterThanOrEqual(25);
  });
});
