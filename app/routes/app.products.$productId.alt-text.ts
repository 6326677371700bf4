import type { LoaderFunctionArgs } from "@remix-run/node";

import { db } from "~/db.server";
import { adminErrorResponse } from "~/http/errors.server";
import { suggestAltText } from "~/publish/suggest-alt-text.server";
import { authenticate } from "~/shopify.server";
import { currentShop } from "~/shops/current-shop.server";
import { appStorage } from "~/storage/from-env.server";

/** GET ?assetId=&title=: a suggested alt text for publishing that image (the publish dialog asks). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  try {
    const shop = await currentShop(db, session.shop);
    const altText = await suggestAltText(db, appStorage(), {
      shopId: shop.id,
      assetId: url.searchParams.get("assetId") ?? "",
      productTitle: (url.searchParams.get("title") ?? "").slice(0, 255),
      signal: request.signal,
    });
    return Response.json({ altText });
  } catch (error) {
    return adminErrorResponse(error);
  }
}
