import type { LoaderFunctionArgs } from "@remix-run/node";

import { db } from "~/db.server";
import { generationView } from "~/generation/generation-view.server";
import { adminErrorResponse } from "~/http/errors.server";
import { authenticate } from "~/shopify.server";
import { currentShop } from "~/shops/current-shop.server";
import { appStorage } from "~/storage/from-env.server";

/** JSON the Studio polls for a generation's progress and outputs. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await currentShop(db, session.shop);
  try {
    return Response.json(await generationView(db, appStorage(), shop.id, params.generationId ?? ""), {
      headers: { "Cache-Control": "no-store" },
    });
  } catch (error) {
    return adminErrorResponse(error);
  }
}
