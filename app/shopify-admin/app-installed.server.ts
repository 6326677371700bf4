// Whether Lightbox is installed on a shop right now, asked of Shopify itself: one `shop { id }`
// query with the shop's offline session. Shopify revokes an app's tokens on uninstall, so a refusal
// of access (or no session to ask with) means "not installed"; an answer means it is (it was
// reinstalled). Shopify busy or unreachable is neither: the error is thrown, so the caller (the
// shop/redact webhook) fails and Shopify delivers it again later.
import { ShopNotConnectedError, adminGraphqlFor } from "./admin-for-shop.server";
import { pacedClient, ShopifyRequestError, type PacedClient } from "./paced-client.server";

export const INSTALL_CHECK_QUERY = `#graphql
  query LightboxInstallCheck {
    shop {
      id
    }
  }
`;

/** HTTP statuses with which Shopify refuses a token it no longer honours (400: a refresh token refused). */
const NOT_INSTALLED = new Set([400, 401, 403, 404]);

export async function appInstalledOn(shopDomain: string, client: PacedClient = pacedClient(shopDomain, adminGraphqlFor(shopDomain))): Promise<boolean> {
  try {
    await client.request(INSTALL_CHECK_QUERY);
    return true;
  } catch (error) {
    if (error instanceof ShopNotConnectedError) return false;
    if (error instanceof ShopifyRequestError && error.shopifyStatus !== null && NOT_INSTALLED.has(error.shopifyStatus)) return false;
    throw error;
  }
}
