import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";

import { adminRoute } from "~/admin/route.server";
import { assetPage, type AssetPageData } from "~/assets/asset-page.server";
import { deleteAsset } from "~/assets/delete-asset.server";
import { ConfirmBanner } from "~/components/ConfirmBanner";
import { RouteErrorPage } from "~/components/RouteErrorPage";

export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, { errors: "page" }, async ({ db, storage, shop, params }) =>
    Response.json(await assetPage(db, storage, { shopId: shop.id, assetId: params.assetId ?? "" })),
  );

export const action = (args: ActionFunctionArgs) =>
  adminRoute(args, {}, async ({ db, storage, shop, params }) => {
    await deleteAsset(db, storage, shop.id, params.assetId ?? "");
    return redirect("/app/library");
  });

export default function AssetDetail() {
  const { asset, urls } = useLoaderData<AssetPageData>();
  const failure = useActionData<{ error?: { detail: string } }>();
  const navigation = useNavigation();
  const [confirming, setConfirming] = useState(false);

  return (
    <Page backAction={{ content: "Library", url: "/app/library" }} title={asset.filename ?? "Image"}>
      <Layout>
        <Layout.Section>
          <Card>
            <img src={urls.display} alt={asset.filename ?? "Library image"} style={{ width: "100%", display: "block", borderRadius: 8 }} />
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="p">
                {asset.width} × {asset.height} px · {asset.format.toUpperCase()} · {(asset.bytes / 1024 / 1024).toFixed(1)} MB
              </Text>
              <Text as="p" tone="subdued">
                Added {new Date(asset.createdAt).toLocaleString()}
              </Text>
              <InlineStack gap="200">
                <Button url={urls.original} target="_blank">
                  Download original
                </Button>
                <Button tone="critical" onClick={() => setConfirming(true)}>
                  Delete
                </Button>
              </InlineStack>
              {failure?.error ? <Banner tone="critical">{failure.error.detail}</Banner> : null}
              {confirming ? (
                <ConfirmBanner tone="warning" title="Delete this image for good?" confirm="Delete image" busy={navigation.state !== "idle"} onCancel={() => setConfirming(false)}>
                  <p>The image and all its sizes are removed from storage. This cannot be undone.</p>
                </ConfirmBanner>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Image" what="this image" notFound="This image is no longer in your library. It may have been deleted." back={{ content: "Library", url: "/app/library" }} />;
}
