// How background work gets an Admin GraphQL client for a shop without a request: the library's
// `unauthenticated.admin(shop)` (offline session, refreshed when its access token expired). Domain
// code must not import app/shopify.server.ts, so the function is injected once at startup
// (app/server.node.ts) and tests inject their own.
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";

import { AppError } from "~/errors";

import type { AdminGraphql } from "./graphql.server";

export type AdminClientFactory = (shopDomain: string) => Promise<AdminGraphql>;

/** The shop has no usable offline session (uninstalled, or never opened the app). */
export class ShopNotConnectedError extends AppError {
  override name = "ShopNotConnectedError";
  constructor(readonly shopDomain: string) {
    super("SHOPIFY_REFUSED", "Lightbox is not connected to this shop any more. Open Lightbox from your Shopify admin, then try again.", {
      status: 502,
      title: "Shopify refused",
      retryable: false,
    });
  }
}

let factory: AdminClientFactory | undefined;

export function setAdminClientFactory(next: AdminClientFactory | undefined): void {
  factory = next;
}

type UnauthenticatedAdmin = (shop: string) => Promise<{ admin: { graphql: AdminGraphql } }>;

/** The production factory, from shopify-app-remix's `unauthenticated.admin`. */
export function libraryAdminClientFactory(unauthenticatedAdmin: UnauthenticatedAdmin): AdminClientFactory {
  return async (shopDomain) => {
    try {
      const { admin } = await unauthenticatedAdmin(shopDomain);
      return admin.graphql;
    } catch (error) {
      if (error instanceof SessionNotFoundError) throw new ShopNotConnectedError(shopDomain);
      throw error;
    }
  };
}

/** Reuse a client this long: the offline access token lives 60 minutes and is refreshed on demand. */
const REUSE_MS = 5 * 60_000;

/**
 * An AdminGraphql for `shopDomain` that obtains its client lazily from the injected factory and
 * gets a fresh one every few minutes (a long job outlives an access token).
 */
export function adminGraphqlFor(shopDomain: string): AdminGraphql {
  let cached: { graphql: AdminGraphql; at: number } | undefined;
  return async (query, options) => {
    if (!factory) throw new Error("No Admin API client factory is set (setAdminClientFactory at startup)");
    if (!cached || Date.now() - cached.at > REUSE_MS) cached = { graphql: await factory(shopDomain), at: Date.now() };
    return cached.graphql(query, options);
  };
}
