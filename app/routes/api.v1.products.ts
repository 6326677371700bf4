import { z } from "zod";

import { productSummaryResource, withShopify } from "~/api/products.server";
import { parseQuery } from "~/api/parse.server";
import { apiRoute, json } from "~/api/route.server";
import { db } from "~/db.server";
import { listProducts } from "~/products/list-products.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { interactiveClient } from "~/shopify-admin/paced-client.server";

const listQuery = z.object({
  query: z.string().trim().max(200, "At most 200 characters").optional(),
  cursor: z.string().min(1).max(500).optional(),
});

/** GET /api/v1/products: the shop's products from Shopify (by title), 20 a page; cursors are Shopify's, passed through. */
export const loader = apiRoute({ method: "GET", scope: "read", route: "/api/v1/products" }, async ({ url, shop }) => {
  const query = parseQuery(listQuery, url);
  const { products, pageInfo } = await withShopify(() =>
    listProducts(interactiveClient(shop.domain, adminGraphqlFor(shop.domain)), db, { shopId: shop.id, search: query.query, after: query.cursor ?? null }),
  );
  return json({ data: products.map(productSummaryResource), next_cursor: pageInfo.hasNextPage ? pageInfo.endCursor : null });
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const action = loader;
