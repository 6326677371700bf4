import type { z } from "zod";

import { AppError } from "~/errors";

/** zod parse that fails as a 422 AppError naming each field and what to fix. */
export function parseOrThrow<S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) fieldErrors[issue.path.join(".") || "body"] ??= issue.message;
  const summary = Object.entries(fieldErrors)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
  throw new AppError("UNPROCESSABLE", `Check the request: ${summary}.`, { fieldErrors });
}
