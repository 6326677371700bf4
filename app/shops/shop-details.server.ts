import { adminQuery, type AdminGraphql } from "~/shopify-admin/graphql.server";

import type { ShopDetails } from "./register-shop.server";

export const SHOP_DETAILS_QUERY = `#graphql
  query LightboxShopDetails {
    shop {
      name
      email
      currencyCode
    }
  }
`;

export async function fetchShopDetails(graphql: AdminGraphql): Promise<ShopDetails> {
  const data = await adminQuery<{ shop: ShopDetails }>(graphql, SHOP_DETAILS_QUERY);
  return data.shop;
}
