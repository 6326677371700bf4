import type { z } from "zod";

import { ApiProblem } from "./problem.server";

function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[issue.path.join(".") || "body"] ??= issue.message;
  return out;
}

function summary(errors: Record<string, string>): string {
  return Object.entries(errors)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
}

/** Query parameters: a failed parse is a 400 naming each parameter and what to fix. */
export function parseQuery<S extends z.ZodTypeAny>(schema: S, url: URL): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const [key, value] of url.searchParams) raw[key] = value;
  // A misspelt parameter (state= for status=) must not quietly return everything.
  const known = "shape" in schema ? Object.keys((schema as unknown as z.AnyZodObject).shape) : null;
  const unknown = known ? Object.keys(raw).filter((key) => !known.includes(key)) : [];
  if (unknown.length > 0) {
    const accepted = known!.length > 0 ? `This endpoint accepts: ${known!.join(", ")}.` : "This endpoint takes no query parameters.";
    const errors = Object.fromEntries(unknown.map((key) => [key, `Unknown parameter. ${accepted}`]));
    throw new ApiProblem(400, "INVALID_QUERY", "Invalid query parameters", `Unknown query parameter${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}. ${accepted}`, { fieldErrors: errors });
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error);
  throw new ApiProblem(400, "INVALID_QUERY", "Invalid query parameters", `Check the query parameters: ${summary(errors)}.`, { fieldErrors: errors });
}

/** A JSON body: a failed parse is a 422 naming each field and what to fix. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error);
  throw new ApiProblem(422, "UNPROCESSABLE", "Invalid input", `Check the request body: ${summary(errors)}.`, { fieldErrors: errors });
}
