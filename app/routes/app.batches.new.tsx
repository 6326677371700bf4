import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, InlineStack, Layout, Page } from "@shopify/polaris";
import { useState } from "react";

import { text, z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { batchFormData } from "~/batches/batch-form.server";
import type { BatchInput } from "~/batches/batch-input";
import { createBatch, previewBatch, type BatchPreview } from "~/batches/create-batch.server";
import { BatchSettingsForm, initialForm, type BatchForm } from "~/components/batches/BatchSettingsForm";
import { QuoteCard } from "~/components/batches/QuoteCard";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { interactiveClient } from "~/shopify-admin/paced-client.server";

export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, { shop: "ensure", errors: "page" }, async ({ db, shop }) => Response.json(await batchFormData(db, shop.id)));

type ActionData = { preview: BatchPreview } | { started: string } | { error: { detail: string; fieldErrors?: Record<string, string> } };

/** The batch as the form describes it; blank fields are left out (the domain says what is missing). */
function toInput(form: BatchForm): BatchInput {
  const blank = (value: string) => (value.trim() === "" ? undefined : value.trim());
  return {
    origin: "admin",
    selection:
      form.kind === "products"
        ? { kind: "products", productIds: form.productIds }
        : {
            kind: "filter",
            search: blank(form.search),
            productType: blank(form.productType),
            vendor: blank(form.vendor),
            tag: blank(form.tag),
            status: (blank(form.status) as "ACTIVE" | undefined) ?? undefined,
            withoutLightboxImages: form.withoutLightboxImages,
          },
    settings: {
      presetId: blank(form.presetId),
      customPrompt: blank(form.customPrompt),
      model: form.model as never,
      resolution: form.resolution as never,
      aspectRatio: form.aspectRatio as never,
      variants: Number(form.variants),
      onResult: form.onResult,
      placement: form.placement,
    },
  };
}

export const action = (args: ActionFunctionArgs) =>
  adminRoute(args, { intents: { preview: z.object({ batch: text() }), start: z.object({ batch: text() }) } }, async ({ db, admin, shop, form }) => {
    const input = JSON.parse(form.batch || "{}") as BatchInput;
    const client = interactiveClient(shop.domain, admin.graphql);
    if (form.intent === "preview") return Response.json({ preview: await previewBatch(db, client, shop.id, input) } satisfies ActionData);
    const { batch } = await createBatch(db, client, shop.id, { ...input, origin: "admin" });
    return Response.json({ started: batch.id } satisfies ActionData);
  });

export default function NewBatchPage() {
  const data = useLoaderData<typeof loader>() as unknown as Awaited<ReturnType<typeof batchFormData>>;
  const shopify = useAppBridge();
  const [form, setForm] = useState<BatchForm>(() => initialForm(data));
  const preview = useFetcher<ActionData>();
  const start = useFetcher<ActionData>();
  // A preview belongs to the form it was made for: any change asks for a new one.
  const [previewed, setPreviewed] = useState<string | null>(null);
  const input = JSON.stringify(toInput(form));
  const quote = preview.data && "preview" in preview.data && previewed === input ? preview.data.preview : null;
  const error = (start.data && "error" in start.data ? start.data.error : null) ?? (preview.data && "error" in preview.data ? preview.data.error : null);

  const started = start.data && "started" in start.data ? start.data.started : null;

  const change = (patch: Partial<BatchForm>) => setForm((current) => ({ ...current, ...patch }));
  const pickProducts = async () => {
    const picked = await shopify.resourcePicker({ type: "product", multiple: true, selectionIds: form.productIds.map((id) => ({ id })) });
    const products = picked ? [...picked] : [];
    if (products.length > 0) change({ kind: "products", productIds: products.map((p) => p.id), productTitles: products.map((p) => p.title) });
  };
  const submit = (intent: "preview" | "start") => {
    if (intent === "preview") setPreviewed(input);
    (intent === "preview" ? preview : start).submit({ intent, batch: input }, { method: "post" });
  };

  return (
    <Page backAction={{ content: "Batches", url: "/app/batches" }} title="New batch" subtitle="One style over many products, with the cost shown before anything runs">
      <Layout>
        {started ? (
          <Layout.Section>
            <Banner tone="success" title="The batch has started">
              <p>
                <Link to={`/app/batches/${started}`}>Open the review page</Link> to watch it and approve the results.
              </p>
            </Banner>
          </Layout.Section>
        ) : null}
        {error ? (
          <Layout.Section>
            <Banner tone="critical" title="That didn't work">
              <p>{error.detail}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BatchSettingsForm data={data} form={form} errors={error?.fieldErrors} onChange={change} onPickProducts={() => void pickProducts()} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="300">
            {quote ? <QuoteCard quote={quote.quote} selection={quote.selection} /> : null}
            <InlineStack gap="200">
              <Button onClick={() => submit("preview")} loading={preview.state !== "idle"}>
                {quote ? "Update the preview" : "Preview cost and time"}
              </Button>
              <Button variant="primary" disabled={!quote || quote.quote.products === 0} loading={start.state !== "idle"} onClick={() => submit("start")}>
                Start batch
              </Button>
            </InlineStack>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="New batch" what="the batch form" notFound="This page was not found." back={{ content: "Batches", url: "/app/batches" }} />;
}
