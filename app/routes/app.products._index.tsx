import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, InlineStack, Page, Pagination, Text, TextField, Thumbnail } from "@shopify/polaris";
import { ImageIcon } from "@shopify/polaris-icons";
import { useState } from "react";

import { z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { listProducts } from "~/products/list-products.server";
import { interactiveClient } from "~/shopify-admin/paced-client.server";

// Shopify busy or refusing: the page's banner says so.
export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(
    args,
    { errors: "page", query: z.object({ q: z.string().optional(), after: z.string().optional(), before: z.string().optional() }) },
    async ({ db, admin, shop, query }) =>
      Response.json(await listProducts(interactiveClient(shop.domain, admin.graphql), db, { shopId: shop.id, search: query.q, after: query.after, before: query.before })),
  );

export default function Products() {
  const { products, pageInfo } = useLoaderData<Awaited<ReturnType<typeof listProducts>>>();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const navigation = useNavigation();

  const go = (cursor: Record<string, string>) => {
    const next = new URLSearchParams();
    if (params.get("q")) next.set("q", params.get("q")!);
    for (const [k, v] of Object.entries(cursor)) next.set(k, v);
    setParams(next);
  };

  return (
    <Page title="Products" subtitle="Pick a product to make new images for it">
      <Card padding="0">
        <BlockStack>
          <div style={{ padding: "12px" }}>
            <Form method="get">
              <TextField
                label="Search products"
                labelHidden
                name="q"
                value={search}
                onChange={setSearch}
                placeholder="Search by title"
                autoComplete="off"
                clearButton
                onClearButtonClick={() => setSearch("")}
              />
            </Form>
          </div>
          {products.length === 0 ? (
            <EmptyState heading="No products found" image="">
              <p>{params.get("q") ? "Try another search." : "Add products in Shopify admin, then come back."}</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "product", plural: "products" }}
              itemCount={products.length}
              selectable={false}
              loading={navigation.state === "loading"}
              headings={[{ title: "" }, { title: "Product" }, { title: "Status" }, { title: "Images" }, { title: "Lightbox" }]}
            >
              {products.map((product, index) => (
                <IndexTable.Row id={product.id} key={product.id} position={index}>
                  <IndexTable.Cell>
                    <Thumbnail source={product.imageUrl ?? ImageIcon} alt={product.imageAlt ?? product.title} size="small" />
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <a href={`/app/products/${product.id.split("/").pop()}`} style={{ color: "inherit" }} data-primary-link>
                      <Text as="span" fontWeight="semibold">
                        {product.title}
                      </Text>
                    </a>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={product.status === "ACTIVE" ? "success" : undefined}>{product.status.toLowerCase()}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{product.mediaCount}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {product.generatedCount > 0 ? <Badge tone="magic">{`${product.generatedCount} generated`}</Badge> : <Text as="span" tone="subdued">—</Text>}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
          <div style={{ padding: "12px" }}>
            <InlineStack align="center">
              <Pagination
                hasPrevious={pageInfo.hasPreviousPage}
                onPrevious={() => go({ before: pageInfo.startCursor ?? "" })}
                hasNext={pageInfo.hasNextPage}
                onNext={() => go({ after: pageInfo.endCursor ?? "" })}
              />
            </InlineStack>
          </div>
        </BlockStack>
      </Card>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Products" what="your products" notFound="This page was not found." />;
}
