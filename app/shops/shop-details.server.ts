import type { ShopDetails } from "./register-shop.server";

/** Anything that runs Admin GraphQL for one shop (the library's `admin.graphql`, or a fake). */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

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
  const response = await graphql(SHOP_DETAILS_QUERY);
  const body = (await response.json()) as { data?: { shop?: ShopDetails } };
  return body.data?.shop ?? {};
}
