import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, ButtonGroup, Card, EmptyState, InlineStack, Layout, Page, Pagination, Select, Tag, Text } from "@shopify/polaris";
import { useCallback, useState } from "react";

import { list, optionalText, z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { ASSET_KINDS, libraryPage } from "~/assets/library-page.server";
import { AssetGrid } from "~/components/AssetGrid";
import { ExportsCard } from "~/components/ExportsCard";
import { requestExport } from "~/exports/request-export.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { UploadDropZone } from "~/components/UploadDropZone";
import { useFilterParams } from "~/components/useFilterParams";

export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(
    args,
    {
      errors: "page",
      query: z.object({ kind: z.enum(ASSET_KINDS).optional().catch(undefined), productId: z.string().optional(), cursor: z.string().optional() }),
    },
    async ({ db, storage, shop, query }) => Response.json(await libraryPage(db, storage, { shopId: shop.id, ...query })),
  );

/** "Export": the chosen images (assetIds), or the filter shown (kind, productId; none = everything). */
export const action = (args: ActionFunctionArgs) =>
  adminRoute(
    args,
    { intents: { export: z.object({ assetIds: list(), kind: z.enum(ASSET_KINDS).optional().catch(undefined), productId: optionalText() }) } },
    async ({ db, shop, form }) => {
      const chosen = form.assetIds.length > 0;
      const row = await requestExport(db, {
        shopId: shop.id,
        scope: "library",
        selection: chosen ? { assetIds: form.assetIds } : { kind: form.kind, productId: form.productId },
        requestedVia: "admin",
      });
      return Response.json({ exported: { id: row.id } });
    },
  );

const KIND_OPTIONS = [
  { label: "All images", value: "" },
  { label: "Uploads", value: "upload" },
  { label: "Product photos", value: "product_photo" },
  { label: "Generated", value: "generated" },
];

export default function Library() {
  const { items, nextCursor, exports } = useLoaderData<Awaited<ReturnType<typeof libraryPage>>>();
  const result = useActionData<{ exported?: { id: string }; error?: { detail: string } }>();
  const navigation = useNavigation();
  const exporting = navigation.state !== "idle" && navigation.formData?.get("intent") === "export";
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const { params, setParams, setParam } = useFilterParams("cursor");
  const filtered = Boolean(params.get("kind") || params.get("productId"));
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const shopify = useAppBridge();
  const onUploaded = useCallback(() => revalidator.revalidate(), [revalidator]);


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
        {result?.error ? (
          <Layout.Section>
            <Banner tone="critical">{result.error.detail}</Banner>
          </Layout.Section>
        ) : null}
        {result?.exported ? (
          <Layout.Section>
            <Banner tone="info">The export is being packed. Its download link appears below when it is ready.</Banner>
          </Layout.Section>
        ) : null}
        {exports.length > 0 ? (
          <Layout.Section>
            <ExportsCard exports={exports} />
          </Layout.Section>
        ) : null}
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
                  <Form method="post">
                    <input type="hidden" name="intent" value="export" />
                    {selected.size > 0 ? (
                      [...selected].map((id) => <input key={id} type="hidden" name="assetIds" value={id} />)
                    ) : (
                      <>
                        {params.get("kind") ? <input type="hidden" name="kind" value={params.get("kind")!} /> : null}
                        {params.get("productId") ? <input type="hidden" name="productId" value={params.get("productId")!} /> : null}
                      </>
                    )}
                    <ButtonGroup>
                      <Button submit loading={exporting} disabled={items.length === 0}>
                        {selected.size > 0 ? `Export ${selected.size} selected` : filtered ? "Export these" : "Export all"}
                      </Button>
                      {selected.size > 0 ? <Button onClick={() => setSelected(new Set())}>Clear selection</Button> : null}
                    </ButtonGroup>
                  </Form>
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
                <AssetGrid items={items} selected={selected} onToggle={toggle} />
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
