// The subset of OpenAPI 3.1 / JSON Schema 2020-12 the generated document uses (document.ts).
// tests/api/support/openapi-check.ts validates documents and values against exactly this subset.
export type JsonType = "object" | "array" | "string" | "integer" | "number" | "boolean" | "null";

export type JsonSchema = {
  $ref?: string;
  type?: JsonType | JsonType[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: ReadonlyArray<string | number | null>;
  const?: string | number | boolean;
  format?: "date-time" | "uri" | "binary" | "uuid";
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  examples?: unknown[];
};

export type Parameter = {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  description?: string;
  schema: JsonSchema;
};

export type Ref = { $ref: string };
export type Header = { description?: string; required?: boolean; schema: JsonSchema };
export type MediaType = { schema: JsonSchema; example?: unknown };
export type ResponseObject = { description: string; headers?: Record<string, Header | Ref>; content?: Record<string, MediaType> };
export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  /** Lightbox extension: the token scope the operation needs. */
  "x-lightbox-scope"?: "read" | "write";
  parameters?: Array<Parameter | Ref>;
  requestBody?: { required?: boolean; description?: string; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject | Ref>;
};
export type PathItem = Partial<Record<"get" | "post" | "delete", Operation>>;
export type OpenApiDocument = {
  openapi: "3.1.0";
  jsonSchemaDialect?: string;
  info: { title: string; version: string; description?: string; contact?: { name?: string; url?: string } };
  servers: Array<{ url: string; description?: string }>;
  tags: Array<{ name: string; description?: string }>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, PathItem>;
  webhooks?: Record<string, PathItem>;
  components: {
    securitySchemes: Record<string, { type: "http"; scheme: "bearer"; bearerFormat?: string; description?: string }>;
    schemas: Record<string, JsonSchema>;
    parameters: Record<string, Parameter>;
    headers: Record<string, Header>;
    responses: Record<string, ResponseObject>;
  };
};
