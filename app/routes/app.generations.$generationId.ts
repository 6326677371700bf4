import type { LoaderFunctionArgs } from "@remix-run/node";

import { adminRoute } from "~/admin/route.server";
import { generationView } from "~/generation/generation-view.server";

/** JSON the Studio polls for a generation's progress and outputs. */
export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, {}, async ({ db, storage, shop, params }) =>
    Response.json(await generationView(db, storage, shop.id, params.generationId ?? ""), { headers: { "Cache-Control": "no-store" } }),
  );
