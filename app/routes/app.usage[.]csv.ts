import type { LoaderFunctionArgs } from "@remix-run/node";

import { z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { usageCsv } from "~/usage/usage-csv.server";
import { usageFilters } from "~/usage/usage-page.server";

const USAGE_QUERY = z.object({ kind: z.string().optional(), model: z.string().optional(), from: z.string().optional(), to: z.string().optional() });

/** GET /app/usage.csv: the ledger (Usage page filters) as CSV, streamed. */
export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, { query: USAGE_QUERY }, async ({ db, shop, query }) => {
    const lines = usageCsv(db, { shopId: shop.id, ...usageFilters(query) });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
    });
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="lightbox-usage-${new Date().toISOString().slice(0, 10)}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  });
