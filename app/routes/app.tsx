import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";

import { authenticate } from "~/shopify.server";
import { simulatorAppBridgeUrl } from "~/dev/shopify-simulator.server";
import { env } from "~/env.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  const { shopifyApiKey, simulatorUrl } = env();
  // Offline development: App Bridge comes from the local simulator instead of Shopify's CDN.
  return json({ apiKey: shopifyApiKey, appBridgeUrl: simulatorUrl ? simulatorAppBridgeUrl(simulatorUrl) : undefined });
}

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/products">Products</Link>
        <Link to="/app/studio">Studio</Link>
        <Link to="/app/batches">Batches</Link>
        <Link to="/app/library">Library</Link>
        <Link to="/app/plans">Plans</Link>
        <Link to="/app/usage">Usage</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included. Pages
// have their own boundaries (app/components/RouteErrorPage.tsx); what reaches this one is the
// frame's own loader failing, shown plainly rather than as "[object Object]".
export function ErrorBoundary() {
  const error = useRouteError();
  if (!isRouteErrorResponse(error) || typeof error.data === "string") return boundary.error(error);
  const detail = (error.data as { error?: { detail?: string } } | null)?.error?.detail ?? error.statusText;
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", padding: 24 }}>
      <h1 style={{ fontSize: 18 }}>Lightbox could not be opened</h1>
      <p>{detail || "Reload the page to try again."}</p>
    </main>
  );
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
