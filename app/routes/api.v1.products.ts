import { endpoints } from "~/api/contract/endpoints";
import { productSummaryResource } from "~/api/products.server";
import { apiRoute } from "~/api/route.server";
import { db } from "~/db.server";
import { listProducts } from "~/products/list-products.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { interactiveClient } from "~/shopify-admin/paced-client.server";

/** GET /api/v1/products: the shop's products from Shopify (by title), 20 a page; cursors are Shopify's, passed through. */
export const loader = apiRoute(endpoints.listProducts, async ({ query, shop, respond }) => {
  const { products, pageInfo } = await listProducts(interactiveClient(shop.domain, adminGraphqlFor(shop.domain)), db, {
    shopId: shop.id,
    search: query.query,
    after: query.cursor ?? null,
  });
  return respond(200, { data: products.map(productSummaryResource), next_cursor: pageInfo.hasNextPage ? pageInfo.endCursor : null });
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const action = loader;
