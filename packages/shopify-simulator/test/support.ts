// Shopify's own library, configured as the app is (the simulator's default client id and secret).
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";

export function devShopifyApi() {
  return shopifyApi({
    apiKey: "lightbox-dev-key",
    apiSecretKey: "lightbox-dev-secret",
    scopes: ["read_products", "write_products"],
    hostName: "lightbox.example",
    apiVersion: ApiVersion.October26,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });
}
