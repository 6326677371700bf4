import { openApiDocument } from "~/api/contract/document";
import { endpoints } from "~/api/contract/endpoints";
import { publicRoute } from "~/api/route.server";
import { env } from "~/env.server";

/** GET /api/v1/openapi.json: the API description, generated from the contract (public: no token needed). */
export const loader = publicRoute(endpoints.getOpenApi, ({ respond }) =>
  respond(200, openApiDocument(`${env().appUrl.replace(/\/+$/, "")}/api/v1`), {
    headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  }),
);
