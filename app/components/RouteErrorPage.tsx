import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";

/**
 * A page's error boundary: a Polaris page with a banner that says what went wrong (the `{ error }`
 * body our loaders throw, see app/http/errors.server.ts), inside the app's frame and navigation.
 * Shopify's own responses (the session-token bounce page) render as Shopify's boundary does.
 */
export function RouteErrorPage(props: { title: string; what: string; notFound: string; back?: { content: string; url: string } }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && typeof error.data === "string") return boundary.error(error);
  const detail = isRouteErrorResponse(error)
    ? ((error.data as { error?: { detail?: string } } | null)?.error?.detail ?? (error.status === 404 ? props.notFound : error.statusText))
    : `Something went wrong while loading ${props.what}. Reload the page to try again.`;
  return (
    <Page title={props.title} {...(props.back ? { backAction: props.back } : {})}>
      <Banner tone="critical" title={`${props.what[0]!.toUpperCase()}${props.what.slice(1)} could not be shown`}>
        <p>{detail}</p>
      </Banner>
    </Page>
  );
}
