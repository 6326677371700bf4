import { endpoints } from "~/api/contract/endpoints";
import { productDetailResource } from "~/api/products.server";
import { apiRoute } from "~/api/route.server";
import { db } from "~/db.server";
import { productPage } from "~/publish/product-page.server";
import { adminGraphqlFor } from "~/shopify-admin/admin-for-shop.server";
import { appStorage } from "~/storage/from-env.server";

/** GET /api/v1/products/:id: the product's gallery in Shopify and Lightbox's images for it with their publications. */
export const loader = apiRoute(endpoints.getProduct, async ({ params, shop, respond }) => {
  const page = await productPage(db, appStorage(), adminGraphqlFor(shop.domain), { shopId: shop.id, shopDomain: shop.domain, productId: params.id });
  return respond(200, productDetailResource(page));
});

/** Any other method: the same handler answers 405 problem+json with Allow (Remix would answer it bare). */
export const action = loader;
