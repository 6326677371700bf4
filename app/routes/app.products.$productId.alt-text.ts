import type { LoaderFunctionArgs } from "@remix-run/node";

import { text, z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { suggestAltText } from "~/publish/suggest-alt-text.server";

/** GET ?assetId=&title=: a suggested alt text for publishing that image (the publish dialog asks). */
export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(
    args,
    { query: z.object({ assetId: text(), title: text().transform((title) => title.slice(0, 255)) }) },
    async ({ db, storage, shop, query, request }) => {
      const altText = await suggestAltText(db, storage, { shopId: shop.id, assetId: query.assetId, productTitle: query.title, signal: request.signal });
      return Response.json({ altText });
    },
  );
