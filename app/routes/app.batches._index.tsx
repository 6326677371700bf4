import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, Page, ProgressBar, Text } from "@shopify/polaris";

import { adminRoute } from "~/admin/route.server";
import { listBatches, type BatchSummary } from "~/batches/batch-view.server";
import { batchBadge } from "~/components/batches/status";
import { RouteErrorPage } from "~/components/RouteErrorPage";

export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, { errors: "page" }, async ({ db, shop }) => Response.json({ batches: (await listBatches(db, shop.id, { limit: 50 })).batches }));

export default function BatchesPage() {
  const { batches } = useLoaderData<{ batches: BatchSummary[] }>();
  return (
    <Page title="Batches" subtitle="One style over many products" primaryAction={{ content: "New batch", url: "/app/batches/new" }}>
      <Card padding="0">
        {batches.length === 0 ? (
          <EmptyState heading="Work on your whole catalogue" action={{ content: "New batch", url: "/app/batches/new" }} image="">
            <p>Pick products (or all of them), a style and what should happen to the results; Lightbox shows the cost first.</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "batch", plural: "batches" }}
            itemCount={batches.length}
            selectable={false}
            headings={[{ title: "Started" }, { title: "Products" }, { title: "Style" }, { title: "Progress" }, { title: "Status" }]}
          >
            {batches.map((batch, index) => (
              <IndexTable.Row key={batch.id} id={batch.id} position={index} onNavigation={() => undefined}>
                <IndexTable.Cell>
                  <Link to={`/app/batches/${batch.id}`} data-primary-link>
                    {new Date(batch.createdAt).toLocaleString()}
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>{`${batch.counts.total} · ${batch.selection}`}</IndexTable.Cell>
                <IndexTable.Cell>{batch.style}</IndexTable.Cell>
                <IndexTable.Cell>
                  <BlockStack gap="100">
                    <ProgressBar progress={batch.progress} size="small" animated={false} />
                    <Text as="span" variant="bodySm" tone="subdued">
                      {`${batch.counts.review} to review · ${batch.counts.published} published${batch.counts.failed ? ` · ${batch.counts.failed} failed` : ""}`}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={batchBadge(batch).tone}>{batchBadge(batch).label}</Badge>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Batches" what="your batches" notFound="Not found." />;
}
