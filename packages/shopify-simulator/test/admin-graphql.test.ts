// The Admin GraphQL endpoint answers invalid, unauthorised, unsupported and unaffordable requests
// the way Shopify does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetch as undiciFetch } from "undici";
import { simulatorDispatcher } from "~/dev/shopify-simulator.server";
import { startSimulator } from "../src/index.ts";
import type { RunningSimulator } from "../src/index.ts";
import { adminGraphql, DEMO_SHOP } from "../src/test-helpers.ts";

let sim: RunningSimulator;
let token: string;

beforeAll(async () => {
  sim = await startSimulator();
  token = sim.issueAccessToken(DEMO_SHOP).access_token;
});
afterAll(() => sim.stop());

describe("invalid documents", () => {
  it("GIVEN a made-up field WHEN queried THEN HTTP 200 with Shopify's undefinedField error and no data", async () => {
    const { status, body } = await adminGraphql(sim, token, `query GetProduct($id: ID!) {\n  product(id: $id) {\n    id\n    sparkle\n  }\n}`, {
      id: "gid://shopify/Product/1",
    });
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: "Field 'sparkle' doesn't exist on type 'Product'",
        locations: [{ line: 4, column: 5 }],
        path: ["query GetProduct", "product", "sparkle"],
        extensions: { code: "undefinedField", typeName: "Product", fieldName: "sparkle" },
      },
    ]);
  });

  it("GIVEN a deprecated field (Product.images) WHEN queried THEN it is refused in the same shape, naming the reason", async () => {
    const { status, body } = await adminGraphql(sim, token, `{ product(id: "gid://shopify/Product/1") { images(first: 1) { nodes { url } } } }`);
    expect(status).toBe(200);
    expect(body.errors).toEqual([
      {
        message: "Field 'images' on type 'Product' is deprecated: Use `media` instead.",
        locations: [{ line: 1, column: 44 }],
        path: ["query", "product", "images"],
        extensions: { code: "deprecatedField", typeName: "Product", fieldName: "images", deprecationReason: "Use `media` instead." },
      },
    ]);
  });

  it("GIVEN a deprecated mutation (productCreateMedia) WHEN sent THEN it is refused with its deprecation reason", async () => {
    const { body } = await adminGraphql(
      sim,
      token,
      `mutation { productCreateMedia(productId: "gid://shopify/Product/1", media: [{ originalSource: "https://example.com/a.png", mediaContentType: IMAGE }]) { media { id } } }`,
    );
    const errors = body.errors as { message: string; extensions: Record<string, unknown> }[];
    expect(errors[0]?.extensions).toMatchObject({ code: "deprecatedField", typeName: "Mutation", fieldName: "productCreateMedia" });
    expect(errors[0]?.message).toContain("Use `productUpdate` or `productSet` instead.");
  });

  it("GIVEN a missing required argument WHEN queried THEN missingRequiredArguments", async () => {
    const { body } = await adminGraphql(sim, token, `{ product { id } }`);
    expect(body.errors).toEqual([
      {
        message: "Field 'product' is missing required arguments: id",
        locations: [{ line: 1, column: 3 }],
        path: ["query", "product"],
        extensions: { code: "missingRequiredArguments", className: "Field", name: "product", arguments: "id" },
      },
    ]);
  });

  it("GIVEN a syntax error WHEN sent THEN a parse error with its location", async () => {
    const { body } = await adminGraphql(sim, token, `{ shop { name }`);
    expect(body.errors).toEqual([{ message: "Unexpected end of document", locations: [{ line: 1, column: 16 }], extensions: { code: "parseError" } }]);
  });
});

describe("authentication and authorisation", () => {
  it("GIVEN no or an unknown access token THEN 401 with Shopify's body", async () => {
    const { status, body } = await adminGraphql(sim, "shpat_not_a_token", `{ shop { name } }`);
    expect(status).toBe(401);
    expect(body).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
  });

  it("GIVEN a query needing read_orders WHEN the app only has products scopes THEN ACCESS_DENIED", async () => {
    const { status, body } = await adminGraphql(sim, token, `{ orders(first: 1) { nodes { id } } }`);
    expect(status).toBe(200);
    const errors = body.errors as { message: string; extensions: Record<string, unknown> }[];
    expect(errors[0]?.extensions?.code).toBe("ACCESS_DENIED");
    expect(errors[0]?.message).toMatch(/^Access denied for .* field\. Required access: `read_orders` access scope/);
  });

  it("GIVEN a valid root field the simulator does not implement THEN a clear NOT_IMPLEMENTED error", async () => {
    const { body } = await adminGraphql(sim, token, `{ collections(first: 1) { nodes { id } } }`);
    expect(body.errors).toEqual([
      {
        message: "Field 'collections' on type 'QueryRoot' is not implemented by the Lightbox Shopify simulator",
        locations: [{ line: 1, column: 3 }],
        path: ["collections"],
        extensions: { code: "NOT_IMPLEMENTED", typeName: "QueryRoot", fieldName: "collections" },
      },
    ]);
  });

  it("GIVEN the shop in the Host header (as forwarded from https://<shop>.myshopify.com) THEN the shop is found", async () => {
    const response = await undiciFetch(`https://${DEMO_SHOP}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query: "{ shop { myshopifyDomain } }" }),
      dispatcher: simulatorDispatcher(sim.url),
    });
    expect(await response.json()).toMatchObject({ data: { shop: { myshopifyDomain: DEMO_SHOP } } });
  });
});

describe("query cost limits", () => {
  it("GIVEN a query costing more than 1000 points THEN MAX_COST_EXCEEDED before anything runs", async () => {
    const { body } = await adminGraphql(sim, token, `{ products(first: 250) { nodes { media(first: 10) { nodes { id } } } } }`);
    const errors = body.errors as { message: string; extensions: Record<string, unknown> }[];
    // 2 + 250 x (1 + 2 + 10 x 1) = 3252
    expect(errors[0]?.message).toMatch(/^Query cost is 3252, which exceeds the single query max cost limit \(1000\)\./);
    expect(errors[0]?.extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", cost: 3252, maxCost: 1000 });
    expect(sim.state.counters.maxCostExceeded).toBe(1);
  });

  it("GIVEN a connection without first/last THEN 'you must provide one of first or last'", async () => {
    const { body } = await adminGraphql(sim, token, `{ products { nodes { id } } }`);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([{ message: "you must provide one of first or last", locations: [{ line: 1, column: 3 }], path: ["products"], extensions: { code: "BAD_REQUEST" } }]);
  });
});
