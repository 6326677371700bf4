// Any other path under /api/v1: a problem document instead of the app's HTML 404 page.
import { problemResponse } from "~/api/problem.server";

function notFound({ request }: { request: Request }) {
  const { pathname } = new URL(request.url);
  return problemResponse({
    status: 404,
    code: "NO_SUCH_ENDPOINT",
    title: "Not found",
    detail: `There is no endpoint ${request.method} ${pathname}. The endpoints are listed at /api/v1/openapi.json.`,
  });
}

export const loader = notFound;
export const action = notFound;
