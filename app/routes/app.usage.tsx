import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { InlineGrid, Layout, Page } from "@shopify/polaris";
import { useState } from "react";

import { z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { Stat } from "~/components/Stat";
import { LedgerCard } from "~/components/usage/LedgerCard";
import { UsageChart } from "~/components/usage/UsageChart";
import { usagePage, type UsagePageData } from "~/usage/usage-page.server";

export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(
    args,
    {
      errors: "page",
      query: z.object({ kind: z.string().optional(), model: z.string().optional(), from: z.string().optional(), to: z.string().optional(), cursor: z.string().max(100).optional() }),
    },
    async ({ db, shop, query }) => Response.json(await usagePage(db, shop.id, query)),
  );

export default function Usage() {
  const data = useLoaderData<UsagePageData>();
  const shopify = useAppBridge();
  const [params] = useSearchParams();
  const [exporting, setExporting] = useState(false);

  // The export is fetched (App Bridge adds the session token) and saved from the browser.
  const exportCsv = async () => {
    setExporting(true);
    try {
      const query = new URLSearchParams([...params].filter(([name]) => name !== "cursor"));
      const response = await fetch(`/app/usage.csv?${query}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), { href: url, download: `lightbox-usage-${data.range.to}.csv` });
      document.body.appendChild(link);
      link.click();
      link.remove();
      URL.revokeObjectURL(url);
    } catch {
      shopify.toast.show("The export could not be made. Try again.", { isError: true });
    } finally {
      setExporting(false);
    }
  };

  return (
    <Page title="Usage" subtitle="Every credit granted, spent, refunded or expired" secondaryActions={[{ content: "Plans", url: "/app/plans" }]}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <Stat label="Granted" value={data.totals.granted} />
            <Stat label="Spent" value={data.totals.spent} />
            <Stat label="Refunded" value={data.totals.refunded} />
            <Stat label="Expired" value={data.totals.expired} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <UsageChart chart={data.chart} range={data.range} />
        </Layout.Section>
        <Layout.Section>
          <LedgerCard data={data} onExport={() => void exportCsv()} exporting={exporting} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Usage" what="your usage" notFound="This page was not found." />;
}
