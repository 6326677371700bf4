import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";

import { deleteAsset } from "~/assets/delete-asset.server";
import { assetUrls, getAsset } from "~/assets/get-asset.server";
import { db } from "~/db.server";
import { adminErrorResponse } from "~/http/errors.server";
import { authenticate } from "~/shopify.server";
import { currentShop } from "~/shops/current-shop.server";
import { appStorage } from "~/storage/from-env.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await currentShop(db, session.shop);
  try {
    const asset = await getAsset(db, shop.id, params.assetId ?? "");
    // An hour: the page may stay open a while before "Download original" is clicked.
    const urls = await assetUrls(appStorage(), asset, 3600);
    return Response.json({
      asset: {
        id: asset.id,
        kind: asset.kind,
        filename: asset.filename,
        width: asset.width,
        height: asset.height,
        bytes: asset.bytes,
        format: asset.format,
        productId: asset.productId,
        createdAt: asset.createdAt.toISOString(),
        metadata: asset.metadata,
      },
      urls,
    });
  } catch (error) {
    throw adminErrorResponse(error);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await currentShop(db, session.shop);
  try {
    await deleteAsset(db, appStorage(), shop.id, params.assetId ?? "");
    return redirect("/app/library");
  } catch (error) {
    return adminErrorResponse(error);
  }
}

type LoaderData = {
  asset: { id: string; kind: string; filename: string | null; width: number; height: number; bytes: number; format: string; createdAt: string };
  urls: { display: string; original: string };
};

export default function AssetDetail() {
  const { asset, urls } = useLoaderData<LoaderData>();
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
                <Banner tone="warning" title="Delete this image for good?">
                  <BlockStack gap="200">
                    <p>The image and all its sizes are removed from storage. This cannot be undone.</p>
                    <Form method="post">
                      <InlineStack gap="200">
                        <Button submit tone="critical" variant="primary" loading={navigation.state !== "idle"}>
                          Delete image
                        </Button>
                        <Button onClick={() => setConfirming(false)}>Cancel</Button>
                      </InlineStack>
                    </Form>
                  </BlockStack>
                </Banner>
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
