import { describe, expect, it } from "vitest";

import { openApiDocument } from "~/api/contract/document";
import type { OpenApiDocument } from "~/api/contract/openapi-types";
import type { ApiHandler } from "~/api/route.server";

import { APP_URL } from "./support/api";
import { openApiPath, validateOpenApiDocument, validateValue } from "./support/openapi-check";
import { apiRouteFiles, dispatch, loadApiRoutes, routePattern } from "./support/router";

/** Route files that are deliberately not operations. */
const NOT_OPERATIONS: Record<string, string> = {
  "api.v1.$.ts": "catch-all: answers unknown /api/v1 paths with a 404 problem",
};

describe("OpenAPI document", () => {
  const doc = openApiDocument();

  it("is a structurally valid OpenAPI 3.1 document", () => {
    expect(validateOpenApiDocument(doc)).toEqual([]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc); // pure JSON data
  });

  it("the validator catches broken documents (it can fail)", () => {
    const broken = structuredClone(doc) as OpenApiDocument & { paths: Record<string, Record<string, unknown>> };
    broken.openapi = "3.0.3" as "3.1.0";
    broken.paths["/assets/{assetId}"] = broken.paths["/assets/{id}"]!; // {assetId} has no parameter
    (broken.components.schemas.Asset!.properties!.width as Record<string, unknown>).type = "int";
    (broken.components.schemas.Asset as Record<string, unknown>).oneOf = [];
    broken.components.schemas.AssetList!.properties!.data!.items = { $ref: "#/components/schemas/Nope" };
    broken.components.schemas.Me!.required!.push("missing_property");
    const errors = validateOpenApiDocument(broken).join("\n");
    expect(errors).toMatch(/openapi must be 3\.1\.x/);
    expect(errors).toMatch(/path parameter \{assetId\} is not declared/);
    expect(errors).toMatch(/unknown type "int"/);
    expect(errors).toMatch(/unsupported schema keyword "oneOf"/);
    expect(errors).toMatch(/Nope does not resolve/);
    expect(errors).toMatch(/required "missing_property" is not a property/);
    expect(errors).toMatch(/duplicate operationId/);
  });

  it("the schema validator rejects values that do not match", () => {
    const asset = { $ref: "#/components/schemas/Asset" } as const;
    expect(validateValue(doc, asset, { id: "x" }).join()).toMatch(/missing required "width"/);
    expect(validateValue(doc, { $ref: "#/components/schemas/Problem" }, { type: "x", title: "t", status: 200, detail: "d", code: "X" }).join()).toMatch(
      /below 400|does not match/,
    );
    expect(validateValue(doc, { $ref: "#/components/schemas/Me" }, { shop: { domain: "a" }, token: {}, credits: { balance: 1 }, extra: 1 }).join()).toMatch(
      /unexpected property "extra"/,
    );
  });

  it("documents every route file of the API, with the same route pattern, methods and scopes", async () => {
    const files = apiRouteFiles();
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const route of await loadApiRoutes()) {
      if (NOT_OPERATIONS[route.file]) continue;
      const path = openApiPath(route.pattern);
      const item = doc.paths[path];
      expect(item, `${route.file} (${route.pattern}) is not in the OpenAPI document as ${path}`).toBeDefined();
      for (const [exportName, handler] of Object.entries(route.module) as Array<[string, ApiHandler | undefined]>) {
        if (exportName !== "loader" && exportName !== "action") continue;
        const method = handler?.api?.method ?? (exportName === "loader" ? "GET" : "POST");
        const op = item?.[method.toLowerCase() as "get"];
        expect(op, `${route.file}: ${method} ${route.pattern} is not documented`).toBeDefined();
        if (handler?.api) {
          expect(handler.api.route, `${route.file} logs under a different route pattern`).toBe(route.pattern);
          expect(op?.["x-lightbox-scope"], `${route.file}: documented scope differs`).toBe(handler.api.scope);
        }
      }
    }
  });

  it("has no operation without a route file that implements it", async () => {
    const routes = await loadApiRoutes();
    for (const [path, item] of Object.entries(doc.paths)) {
      const route = routes.find((r) => openApiPath(r.pattern) === path);
      expect(route, `${path} is documented but no app/routes/api.v1.* file serves it`).toBeDefined();
      for (const method of Object.keys(item)) {
        const exportName = method === "get" ? "loader" : "action";
        const handler = route!.module[exportName] as ApiHandler | undefined;
        expect(handler, `${method.toUpperCase()} ${path} is documented but ${route!.file} has no ${exportName}`).toBeDefined();
        if (handler?.api) expect(handler.api.method.toLowerCase()).toBe(method);
      }
    }
  });

  it("route file names map to URL patterns as Remix reads them", () => {
    expect(routePattern("api.v1.me.ts")).toBe("/api/v1/me");
    expect(routePattern("api.v1.assets.$id.ts")).toBe("/api/v1/assets/:id");
    expect(routePattern("api.v1.openapi[.]json.ts")).toBe("/api/v1/openapi.json");
    expect(routePattern("api.v1.$.ts")).toBe("/api/v1/*");
  });

  it("is served at /api/v1/openapi.json without a token, with this installation's server URL", async () => {
    const response = await dispatch(new Request(`${APP_URL}/api/v1/openapi.json`));
    expect(response.status).toBe(200);
    const served = (await response.json()) as OpenApiDocument;
    expect(served.servers[0]!.url).toBe(`${APP_URL}/api/v1`);
    expect(validateOpenApiDocument(served)).toEqual([]);
    expect(Object.keys(served.paths)).toEqual(Object.keys(doc.paths));
  });

  it("unknown API paths get a problem document, not the app's HTML page", async () => {
    const response = await dispatch(new Request(`${APP_URL}/api/v1/nope`, { method: "POST" }));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(((await response.json()) as { detail: string }).detail).toMatch(/openapi\.json/);
  });
});
