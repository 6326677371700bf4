import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

/** Shopify opens the app at its URL with shop/host query parameters: send it into /app. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return redirect(`/app${url.search}`);
}
