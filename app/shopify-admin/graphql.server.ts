// The Admin GraphQL surface domain code sees: a function that runs one operation for one shop
// (the library's `admin.graphql`, or a test double), and a helper that returns `data` or throws
// a clear error. Pacing and retries live in app/shopify-admin/paced-client.server.ts.
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export class AdminApiError extends Error {
  override name = "AdminApiError";
  constructor(
    message: string,
    readonly errors: unknown,
  ) {
    super(message);
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
