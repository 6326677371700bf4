import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { useState } from "react";

import { text, z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { apiSettingsPage, EXPIRY_CHOICES } from "~/api/settings-page.server";
import { rotateWebhookSecret } from "~/api/webhooks/signing.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { CreateTokenCard } from "~/components/settings/CreateTokenCard";
import { NewTokenBanner } from "~/components/settings/NewTokenBanner";
import { RequestLogCard } from "~/components/settings/RequestLogCard";
import { TokensCard } from "~/components/settings/TokensCard";
import { WebhookSecretCard } from "~/components/settings/WebhookSecretCard";
import { createApiToken } from "~/tokens/create-token.server";
import { deleteApiToken } from "~/tokens/delete-token.server";
import { revokeApiToken } from "~/tokens/revoke-token.server";
import type { TokenView } from "~/tokens/token-view";

export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(
    args,
    { errors: "page", query: z.object({ status: z.string().optional(), route: z.string().optional(), before: z.string().optional() }) },
    async ({ db, shop, query }) => Response.json(await apiSettingsPage(db, shop.id, query)),
  );

export const action = (args: ActionFunctionArgs) =>
  adminRoute(
    args,
    {
      intents: {
        // Access "read" or "write" (which includes read); expiry in days from now (every token expires).
        create: z.object({
          name: text(),
          access: z
            .string()
            .optional()
            .transform((access) => (access === "write" ? ["read", "write"] : ["read"])),
          expires: z
            .enum(EXPIRY_CHOICES, { error: "Choose when the token expires: after 7, 30 or 90 days, or a year. Tokens cannot be permanent." })
            .transform((days) => new Date(Date.now() + Number(days) * 86_400_000)),
          // Empty: no cap; anything else goes to createApiToken, which says what is wrong with it.
          dailyCreditCap: z
            .string()
            .optional()
            .transform((cap) => (cap?.trim() ? Number(cap) : null)),
        }),
        revoke: z.object({ tokenId: text() }),
        delete: z.object({ tokenId: text() }),
        "rotate-webhook-secret": z.object({}),
      },
    },
    async ({ db, shop, form }) => {
      switch (form.intent) {
        case "create": {
          const { token, plaintext } = await createApiToken(db, {
            shopId: shop.id,
            name: form.name,
            scopes: form.access,
            expiresAt: form.expires,
            dailyCreditCap: form.dailyCreditCap,
          });
          // The only time the token is ever sent anywhere: this response, shown once, not stored.
          return Response.json({ created: { token, plaintext } }, { headers: { "Cache-Control": "no-store" } });
        }
        case "revoke":
          await revokeApiToken(db, shop.id, form.tokenId);
          return Response.json({ revoked: form.tokenId });
        case "delete":
          await deleteApiToken(db, shop.id, form.tokenId);
          return Response.json({ deleted: form.tokenId });
        case "rotate-webhook-secret": {
          const { previousValidUntil } = await rotateWebhookSecret(db, shop.id);
          return Response.json({ rotated: { previousValidUntil: previousValidUntil?.toISOString() ?? null } });
        }
      }
    },
  );

type LoaderData = Awaited<ReturnType<typeof apiSettingsPage>>;
type ActionData = {
  created?: { token: TokenView; plaintext: string };
  revoked?: string;
  deleted?: string;
  rotated?: { previousValidUntil: string | null };
  error?: { detail: string; fieldErrors?: Record<string, string> };
};

export default function ApiSettings() {
  const data = useLoaderData<LoaderData>();
  const result = useActionData<ActionData>();
  // The token lives only in this action result: gone on reload or dismiss, never in loader data.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const created = result?.created && result.created.token.id !== dismissed ? result.created : null;
  // Field errors of the create form show on its fields; anything else in a banner.
  const onFields = ["name", "scopes", "expiresAt", "dailyCreditCap"].some((field) => result?.error?.fieldErrors?.[field]);

  return (
    <Page title="API access" subtitle="Personal access tokens for the Lightbox REST API" backAction={{ content: "Home", url: "/app" }}>
      <Layout>
        {created ? (
          <Layout.Section>
            <NewTokenBanner plaintext={created.plaintext} name={created.token.name} onDismiss={() => setDismissed(created.token.id)} />
          </Layout.Section>
        ) : null}
        {result?.rotated ? (
          <Layout.Section>
            <Banner tone="success" title="The webhook signing secret was rotated">
              Deliveries are signed with the new secret from now on, and with the old one as well for 24 hours. Reveal the new secret below and update your receivers.
            </Banner>
          </Layout.Section>
        ) : null}
        {result?.error && !onFields ? (
          <Layout.Section>
            <Banner tone="critical">{result.error.detail}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <TokensCard tokens={data.tokens} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <CreateTokenCard error={result?.error} />
            <WebhookSecretCard secret={data.webhookSecret} apiBaseUrl={data.apiBaseUrl} previousValidUntil={data.previousWebhookSecretValidUntil} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <RequestLogCard logs={data.logs} routes={data.routes} nextBefore={data.nextBefore} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="API access" what="API access" notFound="This page was not found." back={{ content: "Settings", url: "/app/settings" }} />;
}
