import { openApiDocument } from "~/api/openapi";
import { env } from "~/env.server";

/** GET /api/v1/openapi.json: the API description (public: no token needed). */
export function loader() {
  return Response.json(openApiDocument(`${env().appUrl.replace(/\/+$/, "")}/api/v1`), {
    headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}
