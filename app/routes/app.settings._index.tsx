import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";

import { text, z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { CreditsCard } from "~/components/settings/CreditsCard";
import { FidelityCheckCard } from "~/components/settings/FidelityCheckCard";
import { ExportsCard } from "~/components/ExportsCard";
import { DeleteDataCard } from "~/components/settings/DeleteDataCard";
import { ExportDataCard } from "~/components/settings/ExportDataCard";
import { requestExport } from "~/exports/request-export.server";
import { OwnKeyCard } from "~/components/settings/OwnKeyCard";
import { removeOwnGeminiKey, saveOwnGeminiKey } from "~/generation/own-key.server";
import { deleteShopContent } from "~/shops/delete-shop-content.server";
import { setFidelityCheck } from "~/shops/set-fidelity-check.server";
import { settingsPage } from "~/shops/settings-page.server";

export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, { errors: "page" }, async ({ db, storage, shop }) => Response.json(await settingsPage(db, storage, shop.id)));

export const action = (args: ActionFunctionArgs) =>
  adminRoute(
    args,
    { intents: { "save-key": z.object({ apiKey: text() }), "remove-key": z.object({}), "delete-all": z.object({}), "export-all": z.object({}), "fidelity-check": z.object({ enabled: z.enum(["on", "off"]) }) } },
    async ({ db, storage, shop, form }) => {
      switch (form.intent) {
        case "save-key":
          await saveOwnGeminiKey(db, shop.id, form.apiKey);
          return Response.json({ ok: "Your Gemini API key is saved. New generations use it and cost no credits." });
        case "remove-key":
          await removeOwnGeminiKey(db, shop.id);
          return Response.json({ ok: "Your Gemini API key is removed." });
        case "fidelity-check":
          await setFidelityCheck(db, shop.id, form.enabled === "on");
          return Response.json({ ok: form.enabled === "on" ? "The product check is on for new images." : "The product check is off. New images are not checked." });
        case "export-all":
          await requestExport(db, { shopId: shop.id, scope: "all_data", requestedVia: "admin" });
          return Response.json({ ok: "Your data is being packed into a ZIP. Its download link appears under Your data when it is ready." });
        case "delete-all": {
          const { objects, rows } = await deleteShopContent(db, storage, shop.id);
          return Response.json({ ok: `Deleted ${rows} records and ${objects} stored files.` });
        }
      }
    },
  );

type Data = Awaited<ReturnType<typeof settingsPage>>;

export default function Settings() {
  const data = useLoaderData<Data>();
  const result = useActionData<{ ok?: string; error?: { detail: string; fieldErrors?: Record<string, string> } }>();
  const navigation = useNavigation();
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
          <OwnKeyCard ownKey={data.ownKey} error={result?.error?.fieldErrors?.apiKey} busy={busy} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title="Quality" description="Catch images where the product itself came out different from your photo.">
          <FidelityCheckCard {...data.fidelity} busy={busy("fidelity-check")} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title="Credits" description="One credit is about one standard image. Failed generations are refunded.">
          <CreditsCard credits={data.credits} history={data.history} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title="Your data" description="Export everything Lightbox holds for this shop as a ZIP (images, generations, credit ledger, API token details, request log). Delete every image, generation, export, publish record, API token, request log and pending webhook Lightbox holds for this shop; tokens stop working at once. Your credits, settings and images already published to your products stay.">
          <BlockStack gap="400">
            <ExportDataCard busy={busy("export-all")} />
            <ExportsCard exports={data.exports} />
            <DeleteDataCard busy={busy("delete-all")} />
          </BlockStack>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Settings" what="your settings" notFound="This page was not found." />;
}
