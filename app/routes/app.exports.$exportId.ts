import type { LoaderFunctionArgs } from "@remix-run/node";

import { adminRoute } from "~/admin/route.server";
import { exportView, getExport } from "~/exports/export-view.server";

/** JSON the Library and Settings poll for an export's progress and, once ready, its download link. */
export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, {}, async ({ db, storage, shop, params }) =>
    Response.json(await exportView(storage, await getExport(db, shop.id, params.exportId ?? ""), 3_600), { headers: { "Cache-Control": "no-store" } }),
  );
