// Admin edge: any thrown value as the JSON a Polaris banner shows ({ error: ErrorBody } with the
// status). The API's edge is app/api/problem.server.ts; both read the same AppError.
import { toAppError } from "~/errors";

export type ErrorBody = {
  status: number;
  title: string;
  detail: string;
  code: string;
  fieldErrors?: Record<string, string>;
};

/** Known, user-actionable errors become an ErrorBody; anything else is null (a real 500). */
export function describeError(error: unknown): ErrorBody | null {
  const known = toAppError(error);
  if (!known) return null;
  if (known.log) console.error(`[admin] ${known.code}`, error);
  const body: ErrorBody = { status: known.status, title: known.title, detail: known.userMessage, code: known.code };
  if (known.fieldErrors) body.fieldErrors = known.fieldErrors;
  return body;
}

/** For admin actions: `{ error }` JSON with the status, so the page shows a banner. */
export function adminErrorResponse(error: unknown): Response {
  const body = describeError(error);
  if (!body) throw error;
  return Response.json({ error: body }, { status: body.status });
}
