import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";

import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { ensureShop } from "~/shops/ensure-shop.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, admin } = await authenticate.admin(request);
  const shop = await ensureShop(db, admin.graphql, session.shop);
  const [uploads, generated] = await Promise.all([
    db.asset.count({ where: { shopId: shop.id, kind: { not: "generated" } } }),
    db.asset.count({ where: { shopId: shop.id, kind: "generated" } }),
  ]);
  return Response.json({ shopName: shop.name ?? session.shop, credits: shop.creditBalance, uploads, generated });
}

type Data = { shopName: string; credits: number; uploads: number; generated: number };

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { shopName, credits, uploads, generated } = useLoaderData<Data>();
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
