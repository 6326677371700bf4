// GET /api/extensions/products/:productId — what Lightbox did for one product, for the product
// details action (extensions/studio-action). The loader also answers the CORS preflight (Remix
// sends OPTIONS to the loader).
import type { LoaderFunctionArgs } from "@remix-run/node";

import { extensionRoute } from "~/admin/extension-route.server";
import { productLightboxStatus } from "~/admin-extensions/product-status.server";

export const loader = (args: LoaderFunctionArgs) =>
  extensionRoute(args, {}, async ({ db, shop, params }) => Response.json(await productLightboxStatus(db, shop.id, params.productId ?? "")));
