// Errors on the public API are RFC 9457 problem documents (application/problem+json):
//   { type, title, status, detail, code, errors?: [{ field, detail }], request_id }
// Every AppError maps to one (app/errors.ts: code, status, title, message, field errors,
// headers), the same errors the admin shows as banners; anything else becomes a 500 without
// internals.
import { AppError, toAppError } from "~/errors";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export type FieldError = { field: string; detail: string };

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  request_id?: string;
};

/** A stable, documented identifier per code: "INVALID_TOKEN" -> "urn:lightbox:problem:invalid-token". */
export function problemType(code: string): string {
  return `urn:lightbox:problem:${code.toLowerCase().replaceAll("_", "-")}`;
}

/** camelCase field names from domain validation become the API's snake_case ("sourceAssetIds.0" -> "source_asset_ids.0"). */
export function apiFieldName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A problem only the API has (token, scope, method, body, idempotency): an AppError with its status. */
export class ApiProblem extends AppError {
  override name = "ApiProblem";
  constructor(status: number, code: string, title: string, detail: string, options: { fieldErrors?: Record<string, string>; headers?: Record<string, string> } = {}) {
    super(code, detail, { status, title, ...options });
  }
}

export function problemResponse(
  problem: Omit<Problem, "type" | "errors"> & { fieldErrors?: Record<string, string> },
  headers?: HeadersInit,
): Response {
  const body: Problem = {
    type: problemType(problem.code),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
  };
  if (problem.fieldErrors && Object.keys(problem.fieldErrors).length > 0) {
    body.errors = Object.entries(problem.fieldErrors).map(([field, detail]) => ({ field: apiFieldName(field), detail }));
  }
  if (problem.request_id) body.request_id = problem.request_id;
  const out = new Headers(headers);
  out.set("Content-Type", PROBLEM_CONTENT_TYPE);
  out.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status: problem.status, headers: out });
}

/** Any thrown value as a problem response. Unknown errors are logged and answered with a bare 500. */
export function problemFromError(error: unknown, requestId?: string): Response {
  const known = toAppError(error);
  if (known) {
    if (known.log) console.error(`[api] ${known.code} in request ${requestId ?? "?"}`, error);
    return problemResponse(
      { status: known.status, code: known.code, title: known.title, detail: known.userMessage, fieldErrors: known.fieldErrors, request_id: requestId },
      known.headers,
    );
  }
  console.error(`[api] unexpected error in request ${requestId ?? "?"}`, error);
  return problemResponse({
    status: 500,
    code: "INTERNAL",
    title: "Internal error",
    detail: `Something went wrong on our side. Try again; if it keeps happening, contact support with the request id ${requestId ?? "(none)"}.`,
    request_id: requestId,
  });
}
