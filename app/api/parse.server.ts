// A request's input, parsed with its endpoint's schemas (app/api/contract) and nothing else, in
// this order: path (404: a value that cannot name anything), query (400), body (415, 400, 422).
// Whatever the schemas do not list is refused, so the document lists everything a route accepts.
import { z } from "zod";

import { readUploadForm } from "~/assets/read-upload.server";

import type { Endpoint, ParsedInput } from "./contract/endpoint";
import { ApiProblem } from "./problem.server";

/** zod 3's wording for unknown fields, which API clients have seen since v1 (zod 4 says "Unrecognized keys: ..."). */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `Unrecognized key(s) in object: ${issue.keys.map((key) => `'${key}'`).join(", ")}`;
  return issue.message;
}

const NO_FIELDS = z.strictObject({});
const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[issue.path.join(".") || "body"] ??= issueMessage(issue);
  return out;
}

function summary(errors: Record<string, string>): string {
  return Object.entries(errors)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
}

function parsePath<S extends Endpoint["params"]>(schema: S, params: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(Object.fromEntries(Object.keys(schema.shape).map((name) => [name, params[name]])));
  if (result.success) return result.data;
  throw new ApiProblem(404, "NOT_FOUND", "Not found", result.error.issues[0]?.message ?? "No such object.");
}

/** Query parameters: a failed parse is a 400 naming each parameter and what to fix. */
function parseQuery<S extends Endpoint["query"]>(schema: S, url: URL): z.output<S> {
  const raw: Record<string, string> = {};
  for (const [key, value] of url.searchParams) raw[key] = value;
  // A misspelt parameter (state= for status=) must not quietly return everything.
  const known = Object.keys(schema.shape);
  const unknown = Object.keys(raw).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    const accepted = known.length > 0 ? `This endpoint accepts: ${known.join(", ")}.` : "This endpoint takes no query parameters.";
    const errors = Object.fromEntries(unknown.map((key) => [key, `Unknown parameter. ${accepted}`]));
    throw new ApiProblem(400, "INVALID_QUERY", "Invalid query parameters", `Unknown query parameter${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}. ${accepted}`, { fieldErrors: errors });
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error);
  throw new ApiProblem(400, "INVALID_QUERY", "Invalid query parameters", `Check the query parameters: ${summary(errors)}.`, { fieldErrors: errors });
}

/** A body: a failed parse is a 422 naming each field and what to fix. */
function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error);
  throw new ApiProblem(422, "UNPROCESSABLE", "Invalid input", `Check the request body: ${summary(errors)}.`, { fieldErrors: errors });
}

/** The JSON body: 415 unless Content-Type is JSON, 400 if it does not parse. */
function readJson(contentType: string, body: Buffer): unknown {
  if (!JSON_TYPE.test(contentType)) {
    throw new ApiProblem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", 'Send a JSON body with "Content-Type: application/json".');
  }
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new ApiProblem(400, "INVALID_JSON", "Invalid JSON", `The body is not valid JSON (${(error as Error).message}).`);
  }
}

async function readBody(endpoint: Endpoint, request: Request, body: Buffer): Promise<unknown> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!endpoint.body) {
    // Nothing to send: no body or "{}" (curl -d '{}' says form-urlencoded); a field in JSON is refused like any unknown field.
    const text = body.toString("utf8").trim();
    if (text === "" || text === "{}") return undefined;
    if (!JSON_TYPE.test(contentType)) {
      throw new ApiProblem(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "This endpoint takes no request body: send none.");
    }
    return parseBody(NO_FIELDS, readJson(contentType, body));
  }
  if (endpoint.body.type === "application/json") return parseBody(endpoint.body.schema, readJson(contentType, body));
  const { shape } = endpoint.body.schema;
  const fileField = Object.keys(shape).find((name) => shape[name] instanceof z.ZodFile) ?? "file";
  const form = await readUploadForm(request, fileField);
  return parseBody(endpoint.body.schema, Object.fromEntries([...new Set(form.keys())].map((name) => [name, form.get(name)])));
}

/** An endpoint's path parameters, query and body, parsed. `body`: the raw bytes of a POST. */
export async function parseInput<E extends Endpoint>(
  endpoint: E,
  input: { params: Record<string, string | undefined>; request: Request; body: Buffer },
): Promise<ParsedInput<E>> {
  const params = parsePath(endpoint.params, input.params);
  const query = parseQuery(endpoint.query, new URL(input.request.url));
  const body = endpoint.method === "POST" ? await readBody(endpoint, input.request, input.body) : undefined;
  return { params, query, body } as ParsedInput<E>;
}
