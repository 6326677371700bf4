// The one shopifyApp() call. Embedded app, token exchange, expiring offline tokens, API 2026-10.
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";

import { appKeyring } from "~/crypto/app-keyring.server";
import { db } from "~/db.server";
import { routeShopifyToSimulator } from "~/dev/shopify-simulator.server";
import { env } from "~/env.server";
import { EncryptedSessionStorage } from "~/sessions/encrypted-session-storage.server";
import { libraryAdminClientFactory, setAdminClientFactory } from "~/shopify-admin/admin-for-shop.server";
import { registerShop } from "~/shops/register-shop.server";
import { fetchShopDetails } from "~/shops/shop-details.server";

const config = env();
if (config.simulatorUrl) routeShopifyToSimulator(config.simulatorUrl);

export const sessionStorage = new EncryptedSessionStorage(db, appKeyring());

const shopify = shopifyApp({
  apiKey: config.shopifyApiKey,
  apiSecretKey: config.shopifyApiSecret,
  apiVersion: ApiVersion.October26,
  scopes: config.scopes,
  appUrl: config.appUrl,
  authPathPrefix: "/auth",
  sessionStorage,
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await registerShop(db, session.shop);
      const details = await fetchShopDetails(admin.graphql).catch(() => null);
      if (details) await registerShop(db, session.shop, details);
    },
  },
  ...(config.shopCustomDomain ? { customShopDomains: [config.shopCustomDomain] } : {}),
});

export default shopify;
export const apiVersion = ApiVersion.October26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;

/**
 * Lets background work and API routes reach a shop's Admin API through its offline session
 * (refreshed when its access token expired): domain code asks app/shopify-admin for a client and
 * never imports this module. Called once at startup (app/server.node.ts; test harnesses too).
 */
export function connectAdminClients(): void {
  setAdminClientFactory(libraryAdminClientFactory((shop) => unauthenticated.admin(shop)));
}
