import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";

import { text, z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { plansPage, type PlansPageData } from "~/billing/plans-page.server";
import { requestCreditPack, requestPlan } from "~/billing/request-charge.server";
import { CurrentPlanCard } from "~/components/plans/CurrentPlanCard";
import { money } from "~/components/plans/format";
import { PackCards, PlanCards } from "~/components/plans/OfferCards";
import { ReturnBanner } from "~/components/plans/ReturnBanner";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { when } from "~/components/settings/format";

// Shopify sends the merchant back here from its confirmation page with ?charge_id=<id>.
export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, { errors: "page", query: z.object({ charge_id: z.string().max(40).optional() }) }, async ({ db, admin, shop, query }) =>
    Response.json(await plansPage(db, admin.graphql, { shopId: shop.id, chargeId: query.charge_id })),
  );

// A paid plan or a pack: off to Shopify's confirmation page, out of the admin iframe (`_top`).
export const action = (args: ActionFunctionArgs) =>
  adminRoute(
    args,
    { intents: { "choose-plan": z.object({ planId: text() }), "buy-pack": z.object({ packId: text() }) } },
    async ({ db, admin, shop, redirect, form }) => {
      const request = form.intent === "buy-pack" ? await requestCreditPack(db, admin.graphql, shop, form.packId) : await requestPlan(db, admin.graphql, shop, form.planId);
      if ("confirmationUrl" in request) return redirect(request.confirmationUrl, { target: "_top" });
      return Response.json({ ok: `The ${request.cancelled} is cancelled: you are on Free. This cycle's plan credits stay until it ends.` });
    },
  );

type ActionData = { ok?: string; error?: { detail: string } };

export default function Plans() {
  const data = useLoaderData<PlansPageData>();
  const result = useActionData<ActionData>();
  const navigation = useNavigation();
  const busy = (intent: string, value: string) =>
    navigation.state !== "idle" && navigation.formData?.get("intent") === intent && [navigation.formData.get("planId"), navigation.formData.get("packId")].includes(value);

  return (
    <Page title="Plans" subtitle="Credits pay for AI images: one credit is about one standard image" secondaryActions={[{ content: "Usage", url: "/app/usage" }]}>
      <Layout>
        {data.returned ? <ReturnBanner returned={data.returned} /> : null}
        {[data.notice, result?.error?.detail].filter(Boolean).map((message) => (
          <Layout.Section key={message}>
            <Banner tone="critical">{message}</Banner>
          </Layout.Section>
        ))}
        {result?.ok ? (
          <Layout.Section>
            <Banner tone="success">{result.ok}</Banner>
          </Layout.Section>
        ) : null}
        {data.plan.status === "FROZEN" ? (
          <Layout.Section>
            <Banner tone="warning" title="Shopify has paused your plan">
              Your store has an unpaid Shopify bill, so Shopify froze the {data.plan.name} subscription. Your credits still work, but the plan&apos;s credits
              will not renew until the bill is paid.
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <CurrentPlanCard plan={data.plan} credits={data.credits} />
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Plans
            </Text>
            <PlanCards plans={data.plans} currency={data.currency} busy={busy} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Credit packs
            </Text>
            <PackCards packs={data.packs} currency={data.currency} busy={busy} />
          </BlockStack>
        </Layout.Section>
        {data.charges.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Charges
                </Text>
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text"]}
                  headings={["When", "What", "Price", "Status"]}
                  rows={data.charges.map((c) => [when(c.createdAt), c.name, money(c.price, c.currencyCode), `${c.status.toLowerCase()}${c.test ? " (test)" : ""}`])}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Plans" what="your plan" notFound="This page was not found." />;
}
