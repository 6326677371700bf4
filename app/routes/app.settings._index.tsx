import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

import { db } from "~/db.server";
import { removeOwnGeminiKey, saveOwnGeminiKey } from "~/generation/own-key.server";
import { adminErrorResponse } from "~/http/errors.server";
import { authenticate } from "~/shopify.server";
import { currentShop } from "~/shops/current-shop.server";
import { deleteShopContent } from "~/shops/delete-shop-content.server";
import { settingsPage } from "~/shops/settings-page.server";
import { appStorage } from "~/storage/from-env.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await currentShop(db, session.shop);
  return Response.json(await settingsPage(db, shop.id));
}

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await currentShop(db, session.shop);
  const form = await request.formData();
  try {
    switch (form.get("intent")) {
      case "save-key":
        await saveOwnGeminiKey(db, shop.id, String(form.get("apiKey") ?? ""));
        return Response.json({ ok: "Your Gemini API key is saved. New generations use it and cost no credits." });
      case "remove-key":
        await removeOwnGeminiKey(db, shop.id);
        return Response.json({ ok: "Your Gemini API key is removed." });
      case "delete-all": {
        const { objects, rows } = await deleteShopContent(db, appStorage(), shop.id);
        return Response.json({ ok: `Deleted ${rows} records and ${objects} stored files.` });
      }
      default:
        return Response.json({ error: { detail: "Unknown action." } }, { status: 400 });
    }
  } catch (error) {
    return adminErrorResponse(error);
  }
}

type Data = Awaited<ReturnType<typeof settingsPage>>;

export default function Settings() {
  const data = useLoaderData<Data>();
  const result = useActionData<{ ok?: string; error?: { detail: string; fieldErrors?: Record<string, string> } }>();
  const navigation = useNavigation();
  const [apiKey, setApiKey] = useState("");
  const [confirmDelete, setConfirmDelete] = useState(false);
  const busy = (intent: string) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;

  return (
    <Page title="Settings" secondaryActions={[{ content: "API tokens", url: "/app/settings/api" }]}>
      <Layout>
        {result?.ok ? (
          <Layout.Section>
            <Banner tone="success">{result.ok}</Banner>
          </Layout.Section>
        ) : null}
        {result?.error ? (
          <Layout.Section>
            <Banner tone="critical">{result.error.detail}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.AnnotatedSection title="Your own Gemini key" description="Generations with your own key cost no credits; Google bills you directly. The key is stored encrypted and never shown again.">
          <Card>
            {data.ownKey ? (
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="p">Key {data.ownKey.hint}</Text>
                  <Badge tone="success">In use</Badge>
                </InlineStack>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove-key" />
                  <Button submit tone="critical" loading={busy("remove-key")}>
                    Remove key
                  </Button>
                </Form>
              </BlockStack>
            ) : (
              <Form method="post">
                <input type="hidden" name="intent" value="save-key" />
                <BlockStack gap="200">
                  <TextField
                    label="Gemini API key"
                    name="apiKey"
                    type="password"
                    value={apiKey}
                    onChange={setApiKey}
                    autoComplete="off"
                    helpText="From Google AI Studio → API keys. We check it with a free call before saving."
                    error={result?.error?.fieldErrors?.apiKey}
                  />
                  <InlineStack>
                    <Button submit variant="primary" disabled={apiKey.trim().length < 20} loading={busy("save-key")}>
                      Save key
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            )}
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title="Credits" description="One credit is about one standard image. Failed generations are refunded.">
          <Card>
            <BlockStack gap="300">
              <Text as="p" variant="headingLg">
                {data.credits} credits
              </Text>
              <DataTable
                columnContentTypes={["text", "text", "numeric", "numeric"]}
                headings={["When", "What", "Credits", "Balance"]}
                rows={data.history.map((e) => [new Date(e.createdAt).toLocaleString(), e.reason, e.amount > 0 ? `+${e.amount}` : String(e.amount), e.balanceAfter])}
              />
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title="Your data" description="Delete every image, generation, publish record, API token and request log Lightbox holds for this shop. Images already published to your products stay on them.">
          <Card>
            {confirmDelete ? (
              <Banner tone="critical" title="Delete all Lightbox data for this shop?">
                <BlockStack gap="200">
                  <p>This cannot be undone.</p>
                  <Form method="post">
                    <input type="hidden" name="intent" value="delete-all" />
                    <InlineStack gap="200">
                      <Button submit tone="critical" variant="primary" loading={busy("delete-all")}>
                        Delete everything
                      </Button>
                      <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
                    </InlineStack>
                  </Form>
                </BlockStack>
              </Banner>
            ) : (
              <Button tone="critical" onClick={() => setConfirmDelete(true)}>
                Delete all data
              </Button>
            )}
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Settings" what="your settings" notFound="This page was not found." />;
}
