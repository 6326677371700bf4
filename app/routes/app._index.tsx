import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";

import { adminRoute } from "~/admin/route.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { Stat } from "~/components/Stat";
import { homePage, type HomePageData } from "~/shops/home-page.server";

export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, { shop: "ensure", errors: "page" }, async ({ db, shop }) => Response.json(await homePage(db, shop)));

export default function Home() {
  const { shopName, credits, uploads, generated } = useLoaderData<HomePageData>();
  return (
    <Page title="Lightbox">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Welcome, {shopName}
              </Text>
              <Text as="p">Turn plain product photos into studio and lifestyle images, then publish the best ones to your products.</Text>
              <InlineStack gap="200">
                <Button variant="primary" url="/app/products">
                  Pick a product
                </Button>
                <Button url="/app/library">Open the library</Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={3} gap="400">
            <Stat label="Credits" value={credits} />
            <Stat label="Photos" value={uploads} />
            <Stat label="Generated images" value={generated} />
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Lightbox" what="the home page" notFound="This page was not found." />;
}
