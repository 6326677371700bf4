// zod -> the document's JSON Schema: z.toJSONSchema, then tidied into the plain subset that
// openapi-types.ts describes (what zod adds for its own round trips is dropped; a nullable
// primitive becomes `type: [T, "null"]` as a reader would write it).
import { z } from "zod";

import type { JsonSchema } from "./openapi-types";

/** Named schemas: each becomes #/components/schemas/<id> and is referenced, never inlined. */
export type ComponentRegistry = z.core.$ZodRegistry<{ id: string }>;

export const componentRef = (id: string) => `#/components/schemas/${id}`;

type Node = Record<string, unknown>;

/** `new RegExp(...).source` escapes "/", which JSON Schema does not need. */
function plainPattern(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === "\\" && pattern[i + 1] === "/") continue; // drop the escape, keep the "/"
    if (pattern[i] === "\\") out += pattern[i++]; // any other escape stays as it is
    out += pattern[i] ?? "";
  }
  return out;
}

function collapseNullable(node: Node): Node {
  const anyOf = node.anyOf as Node[] | undefined;
  if (!anyOf || anyOf.length !== 2) return node;
  const nullIndex = anyOf.findIndex((branch) => branch.type === "null" && Object.keys(branch).length === 1);
  const other = anyOf[1 - nullIndex];
  if (nullIndex < 0 || !other || typeof other.type !== "string" || "const" in other || "$ref" in other) return node;
  const { anyOf: _drop, ...outer } = node;
  const merged: Node = { ...other, ...outer, type: [other.type, "null"] };
  if (Array.isArray(other.enum)) merged.enum = [...other.enum, null];
  return merged;
}

function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (!value || typeof value !== "object") return value;
  let node: Node = {};
  for (const [key, child] of Object.entries(value as Node)) {
    if (key === "$schema" || key === "$id" || key === "contentEncoding") continue;
    // "properties" maps names to schemas; "examples"/"default"/"enum" are values, left as they are.
    if (key === "properties") node[key] = Object.fromEntries(Object.entries(child as Node).map(([name, schema]) => [name, tidy(schema)]));
    else if (key === "examples" || key === "default" || key === "enum" || key === "const") node[key] = child;
    else node[key] = tidy(child);
  }
  if (node.type === "integer" && node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
  if (node.type === "integer" && node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
  if (node.format === "date-time") delete node.pattern; // the format says it; zod's regex is its own check
  if (typeof node.pattern === "string") node.pattern = plainPattern(node.pattern);
  // "additionalProperties: {}" (anything) is what JSON Schema assumes anyway.
  if (node.additionalProperties && typeof node.additionalProperties === "object" && Object.keys(node.additionalProperties).length === 0) delete node.additionalProperties;
  if (node.propertyNames && (node.propertyNames as Node).type === "string" && Object.keys(node.propertyNames as Node).length === 1) delete node.propertyNames;
  node = collapseNullable(node);
  return node;
}

/** One schema, inline (query, path and header parameters). */
export function inlineJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  return tidy(z.toJSONSchema(schema, { io, unrepresentable: "throw" })) as JsonSchema;
}

/** Every schema of a registry as components, referring to each other by #/components/schemas/<id>. */
export function componentJsonSchemas(registry: ComponentRegistry, io: "input" | "output"): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, uri: componentRef, unrepresentable: "throw" });
  if ("__shared" in schemas) throw new Error(`A schema with an id outside the registry: ${Object.keys(schemas.__shared!.$defs ?? {}).join(", ")}`);
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, tidy(schema) as JsonSchema]));
}
