// Every GraphQL document the app sends (template literals starting with `#graphql` under app/)
// must be valid against the real Admin API 2026-10 schema (deprecated fields count as errors) and
// must need no access scope beyond what the app asks for: read_products, write_products.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { missingScopes, requiredScopes, scopeSatisfied, validateAdminOperation } from "@lightbox/shopify-simulator/admin-schema";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const APP_DIR = join(ROOT, "app");
const APP_SCOPES = "read_products,write_products";

interface FoundDocument {
  file: string;
  line: number;
  name: string | null;
  source: string;
}

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const entry of entries) {
    if (entry === "node_modules" || entry === "generated" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx)$/.test(entry) && !/\.d\.ts$/.test(entry)) out.push(path);
  }
  return out;
}

/**
 * `#graphql` template literals of a file. `${NAME}` interpolations are resolved when NAME is
 * another `#graphql` constant of the same file (fragments); anything else is reported.
 */
export function extractDocuments(file: string, text: string): { documents: FoundDocument[]; problems: string[] } {
  const literal = /(?:(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*)?(?:\w+\s*)?`#graphql([\s\S]*?)`/g;
  const raw: FoundDocument[] = [];
  for (let match = literal.exec(text); match; match = literal.exec(text)) {
    raw.push({ file, line: text.slice(0, match.index).split("\n").length, name: match[1] ?? null, source: match[2] ?? "" });
  }
  const byName = new Map(raw.filter((doc) => doc.name).map((doc) => [doc.name as string, doc.source]));
  const problems: string[] = [];
  const resolve = (source: string, depth = 0): string =>
    source.replace(/\$\{\s*([A-Za-z_$][\w$]*)\s*\}/g, (whole, name: string) => {
      const inner = byName.get(name);
      if (inner === undefined || depth > 5) {
        problems.push(`${relative(ROOT, file)}: cannot resolve ${whole} in a #graphql document (only #graphql constants of the same file are inlined)`);
        return "";
      }
      return resolve(inner, depth + 1);
    });
  const documents = raw.map((doc) => ({ ...doc, source: dedupeFragments(resolve(doc.source)) }));
  return { documents, problems };
}

/** A fragment inlined twice (through two other fragments) is kept once. */
function dedupeFragments(source: string): string {
  const seen = new Set<string>();
  return source.replace(/fragment\s+(\w+)\s+on\s+\w+\s*\{(?:[^{}]|\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})*\}/g, (whole, name: string) => {
    if (seen.has(name)) return "";
    seen.add(name);
    return whole;
  });
}

const isFragmentOnly = (source: string) => !/\b(query|mutation|subscription)\b/.test(source) && !/^\s*\{/.test(source);

const found = sourceFiles(APP_DIR).flatMap((file) => {
  const { documents, problems } = extractDocuments(file, readFileSync(file, "utf8"));
  return [...documents.map((doc) => ({ ...doc, problem: null as string | null })), ...problems.map((problem) => ({ file, line: 0, name: null, source: "", problem }))];
});

describe("GraphQL documents under app/", () => {
  it("finds the app's documents (this list may be empty early in the project)", () => {
    expect(Array.isArray(found)).toBe(true);
  });

  const documents = found.filter((doc) => doc.problem === null && !isFragmentOnly(doc.source));
  const cases = documents.map((doc) => [`${relative(ROOT, doc.file)}:${doc.line}${doc.name ? ` (${doc.name})` : ""}`, doc] as const);

  it.each(found.filter((doc) => doc.problem !== null).map((doc) => [doc.problem as string]))("%s", (problem) => {
    expect.fail(problem);
  });

  it.each(cases)("%s is valid against Admin API 2026-10", (_label, doc) => {
    expect(validateAdminOperation(doc.source)).toEqual([]);
  });

  it.each(cases)(`%s needs no scope beyond ${APP_SCOPES}`, (_label, doc) => {
    const missing = missingScopes(doc.source, APP_SCOPES).map((requirement) => `${requirement.coordinate} needs ${requirement.anyOf.join(" or ")}`);
    expect(missing).toEqual([]);
  });
});

describe("the validator and the scope check themselves", () => {
  it("GIVEN a made-up field THEN Shopify's undefinedField error", () => {
    expect(validateAdminOperation(`query { shop { name loyaltyPoints } }`)).toEqual([
      {
        message: "Field 'loyaltyPoints' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 21 }],
        path: ["query", "shop", "loyaltyPoints"],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "loyaltyPoints" },
      },
    ]);
  });

  it("GIVEN deprecated Product.images or productCreateMedia THEN errors naming the deprecation reason", () => {
    const images = validateAdminOperation(`query P($id: ID!) { product(id: $id) { images(first: 5) { nodes { url } } } }`);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({
      message: "Field 'images' on type 'Product' is deprecated: Use `media` instead.",
      path: ["query P", "product", "images"],
      extensions: { code: "deprecatedField", typeName: "Product", fieldName: "images" },
    });
    const createMedia = validateAdminOperation(
      `mutation M($id: ID!, $media: [CreateMediaInput!]!) { productCreateMedia(productId: $id, media: $media) { media { id } } }`,
    );
    expect(createMedia[0]?.extensions).toMatchObject({ code: "deprecatedField", typeName: "Mutation", fieldName: "productCreateMedia" });
    expect(createMedia[0]?.message).toContain("is deprecated: Use `productUpdate` or `productSet` instead.");
  });

  it("GIVEN the media mutations the app should use THEN they validate", () => {
    expect(
      validateAdminOperation(`mutation AddMedia($product: ProductUpdateInput!, $media: [CreateMediaInput!]) {
        productUpdate(product: $product, media: $media) { product { id } userErrors { field message } }
      }`),
    ).toEqual([]);
    expect(
      validateAdminOperation(`mutation SetGallery($id: ID!, $files: [FileSetInput!]) {
        productSet(identifier: { id: $id }, input: { files: $files }) { product { id } userErrors { field message code } }
      }`),
    ).toEqual([]);
    expect(
      validateAdminOperation(`mutation Reorder($id: ID!, $moves: [MoveInput!]!) {
        productReorderMedia(id: $id, moves: $moves) { job { id done } mediaUserErrors { field message code } }
      }`),
    ).toEqual([]);
  });

  it("GIVEN an orders query THEN read_orders is required, which the app's scopes do not cover", () => {
    const query = `query { orders(first: 10) { nodes { id name } } }`;
    expect(requiredScopes(query)).toEqual(["read_orders"]);
    expect(missingScopes(query, APP_SCOPES).map((requirement) => requirement.coordinate)).toEqual(["Order"]);
  });

  it("GIVEN products and productSet THEN read_products / write_products, covered by the app's scopes", () => {
    expect(requiredScopes(`{ products(first: 5) { nodes { id media(first: 1) { nodes { id } } } } }`)).toEqual(["read_products"]);
    expect(requiredScopes(`mutation { productSet(identifier: { id: "gid://shopify/Product/1" }, input: { files: [] }) { product { id } } }`)).toEqual(["write_products"]);
    expect(missingScopes(`mutation { productSet(identifier: { id: "gid://shopify/Product/1" }, input: { files: [] }) { product { id } } }`, APP_SCOPES)).toEqual([]);
  });

  it("GIVEN write_X THEN read_X is implied", () => {
    expect(scopeSatisfied(["read_products"], ["write_products"])).toBe(true);
    expect(scopeSatisfied("read_products,write_products", "write_products")).toBe(true);
    expect(scopeSatisfied(["write_products"], ["read_products"])).toBe(false);
    expect(scopeSatisfied(["read_orders"], APP_SCOPES)).toBe(false);
  });

  it("GIVEN a file with #graphql constants and fragment interpolation THEN documents are extracted and inlined", () => {
    const text = [
      "const MEDIA = `#graphql",
      "  fragment MediaFields on MediaImage { id alt }",
      "`;",
      "export const Q = `#graphql",
      "  query Q($id: ID!) { product(id: $id) { media(first: 5) { nodes { ...MediaFields } } } }",
      "  ${MEDIA}",
      "`;",
    ].join("\n");
    const { documents, problems } = extractDocuments("/x.ts", text);
    expect(problems).toEqual([]);
    expect(documents.map((doc) => [doc.name, doc.line])).toEqual([
      ["MEDIA", 1],
      ["Q", 4],
    ]);
    expect(validateAdminOperation(documents[1]?.source ?? "")).toEqual([]);
  });
});
