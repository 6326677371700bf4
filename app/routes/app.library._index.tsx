import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useRevalidator, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Button, Card, EmptyState, InlineStack, Layout, Page, Pagination, Select, Tag, Text } from "@shopify/polaris";
import { useCallback } from "react";

import { ASSET_KINDS, libraryPage } from "~/assets/library-page.server";
import { AssetGrid } from "~/components/AssetGrid";
import { UploadDropZone } from "~/components/UploadDropZone";
import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { currentShop } from "~/shops/current-shop.server";
import { appStorage } from "~/storage/from-env.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const kind = ASSET_KINDS.find((k) => k === url.searchParams.get("kind"));
  const shop = await currentShop(db, session.shop);
  const page = await libraryPage(db, appStorage(), {
    shopId: shop.id,
    kind,
    productId: url.searchParams.get("productId") ?? undefined,
    cursor: url.searchParams.get("cursor"),
  });
  return Response.json(page);
}

const KIND_OPTIONS = [
  { label: "All images", value: "" },
  { label: "Uploads", value: "upload" },
  { label: "Product photos", value: "product_photo" },
  { label: "Generated", value: "generated" },
];

export default function Library() {
  const { items, nextCursor } = useLoaderData<Awaited<ReturnType<typeof libraryPage>>>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const shopify = useAppBridge();
  const onUploaded = useCallback(() => revalidator.revalidate(), [revalidator]);

  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name !== "cursor") next.delete("cursor");
    setParams(next);
  };

  const pickProduct = async () => {
    const picked = await shopify.resourcePicker({ type: "product", multiple: false });
    const product = picked?.[0];
    if (!product) return;
    const next = new URLSearchParams(params);
    next.set("productId", product.id);
    next.set("productTitle", product.title);
    next.delete("cursor");
    setParams(next);
  };
  const clearProduct = () => {
    const next = new URLSearchParams(params);
    next.delete("productId");
    next.delete("productTitle");
    next.delete("cursor");
    setParams(next);
  };

  return (
    <Page title="Library" subtitle="Your uploads, product photos and generated images">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingSm">
                Upload photos
              </Text>
              <UploadDropZone onUploaded={onUploaded} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingSm">
                  Images
                </Text>
                <InlineStack gap="200" blockAlign="center">
                  {params.get("productId") ? (
                    <Tag onRemove={clearProduct}>{`Product: ${params.get("productTitle") ?? params.get("productId")}`}</Tag>
                  ) : (
                    <Button onClick={() => void pickProduct()}>Filter by product</Button>
                  )}
                  <div style={{ minWidth: 200 }}>
                    <Select label="Show" labelInline options={KIND_OPTIONS} value={params.get("kind") ?? ""} onChange={(v) => setParam("kind", v)} />
                  </div>
                </InlineStack>
              </InlineStack>
              {items.length === 0 ? (
                <EmptyState heading="No images yet" image="">
                  <p>Upload product photos above, or generate studio images from the Studio.</p>
                </EmptyState>
              ) : (
                <AssetGrid items={items} />
              )}
              <InlineStack align="center">
                <Pagination
                  hasPrevious={params.has("cursor")}
                  onPrevious={() => navigate(-1)}
                  hasNext={Boolean(nextCursor)}
                  onNext={() => setParam("cursor", nextCursor)}
                />
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Library" what="your library" notFound="This page was not found." />;
}
