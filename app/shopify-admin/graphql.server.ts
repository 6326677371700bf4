// The Admin GraphQL surface domain code sees: a function that runs one operation for one shop
// (the library's `admin.graphql`, or a test double), and a helper that returns `data` or throws
// a clear error. Pacing and retries live in app/shopify-admin/paced-client.server.ts.
import { AppError, type AppErrorOptions } from "~/errors";

export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

/** Shopify answered with errors: 502 "Shopify refused" at the edge unless a subclass says otherwise. */
export class AdminApiError extends AppError {
  override name = "AdminApiError";
  constructor(
    message: string,
    readonly errors: unknown,
    options: AppErrorOptions & { status?: number } = {},
  ) {
    super(options.status === 503 ? "SHOPIFY_UNAVAILABLE" : "SHOPIFY_REFUSED", message, {
      status: 502,
      title: "Shopify refused",
      retryable: false,
      ...options,
    });
  }
}

type GraphqlBody<T> = { data?: T; errors?: Array<{ message: string }> };

export async function adminQuery<T>(graphql: AdminGraphql, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await graphql(query, variables ? { variables } : undefined);
  const body = (await response.json()) as GraphqlBody<T>;
  if (body.errors?.length || !body.data) {
    throw new AdminApiError(`Shopify refused the request: ${body.errors?.map((e) => e.message).join("; ") ?? "no data"}`, body.errors);
  }
  return body.data;
}
