import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, Card, Layout, Page } from "@shopify/polaris";
import { useCallback, useState } from "react";

import { list, optionalText, productGidOrNull, z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { deleteAsset } from "~/assets/delete-asset.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { GenerationList } from "~/components/studio/GenerationList";
import { SourcePicker } from "~/components/studio/SourcePicker";
import { StudioBanners } from "~/components/studio/StudioBanners";
import { defaultOptions, offeredOptions, optionsPrice, StudioOptionsForm, type StudioActionData, type StudioOptions } from "~/components/studio/StudioOptionsForm";
import { createGeneration, refineGeneration } from "~/generation/create-generation.server";
import { regenerateFree } from "~/generation/regenerate-free.server";
import { studioData, type StudioData } from "~/generation/studio.server";
import { interactiveClient } from "~/shopify-admin/paced-client.server";

// Shopify busy or storage down: the page's banner says so.
export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, { shop: "ensure", errors: "page", query: z.object({ productId: productGidOrNull() }) }, async ({ db, storage, admin, shop, query }) =>
    Response.json(await studioData(db, storage, interactiveClient(shop.domain, admin.graphql), { shopId: shop.id, productId: query.productId })),
  );

export const action = (args: ActionFunctionArgs) =>
  adminRoute(
    args,
    {
      // Blank fields count as not sent; createGeneration and refineGeneration say what is missing.
      intents: {
        generate: z.object({
          sourceAssetIds: list(),
          presetId: optionalText(),
          customPrompt: optionalText(),
          model: optionalText(),
          aspectRatio: optionalText(),
          resolution: optionalText(),
          variants: optionalText(),
          productId: optionalText(),
          productTitle: optionalText(),
        }),
        refine: z.object({ assetId: optionalText(), instruction: optionalText() }),
        discard: z.object({ assetId: optionalText() }),
        "regenerate-free": z.object({ assetId: optionalText() }),
      },
    },
    async ({ db, storage, shop, form }) => {
      switch (form.intent) {
        case "generate":
          return Response.json({ generationId: (await createGeneration(db, { ...form, shopId: shop.id })).id });
        case "refine":
          return Response.json({ generationId: (await refineGeneration(db, { shopId: shop.id, assetId: form.assetId ?? "", instruction: form.instruction ?? "" })).id });
        case "regenerate-free":
          return Response.json({ generationId: (await regenerateFree(db, { shopId: shop.id, assetId: form.assetId ?? "" })).id });
        case "discard":
          await deleteAsset(db, storage, shop.id, form.assetId ?? "");
          return Response.json({ discarded: form.assetId });
      }
    },
  );

// One Studio per product: picking another product starts over (selection, started cards), so a
// generation can never go out with the previous product's photos.
export default function StudioPage() {
  const data = useLoaderData<StudioData>();
  return <Studio key={data.product?.id ?? "no-product"} data={data} />;
}

function Studio({ data }: { data: StudioData }) {
  const shopify = useAppBridge();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const fetcher = useFetcher<StudioActionData>();

  const [chosen, setSelected] = useState<string[]>(data.sources.slice(0, 1).map((s) => s.id));
  // Only photos this page shows can be sent (a photo deleted meanwhile drops out of the choice).
  const selected = chosen.filter((id) => data.sources.some((source) => source.id === id));
  const toggle = (id: string) => setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  const [chosenOptions, setOptions] = useState<StudioOptions>(() => defaultOptions(data));
  const options = offeredOptions(data, chosenOptions);
  const price = optionsPrice(data, options);

  const [started, setStarted] = useState<string[]>([]);
  const addStarted = useCallback((id: string) => setStarted((ids) => (ids.includes(id) ? ids : [id, ...ids])), []);
  const lastStarted = fetcher.data?.generationId;
  if (lastStarted && !started.includes(lastStarted)) addStarted(lastStarted);

  const pickProduct = async () => {
    const picked = await shopify.resourcePicker({ type: "product", multiple: false });
    const product = picked?.[0];
    if (product) navigate(`/app/studio?productId=${encodeURIComponent(product.id)}`);
  };

  return (
    <Page
      title="Studio"
      subtitle={data.product ? `Making images for ${data.product.title}` : "Make studio and lifestyle images from your product photos"}
      titleMetadata={<Badge tone="info">{`${data.credits} credits`}</Badge>}
      primaryAction={{ content: data.product ? "Change product" : "Pick a product", onAction: () => void pickProduct() }}
      backAction={data.product ? { content: "Product", url: `/app/products/${data.product.id.split("/").pop()}` } : undefined}
    >
      <Layout>
        <StudioBanners provider={data.provider} product={data.product} credits={data.credits} />
        <Layout.Section>
          <SourcePicker sources={data.sources} selected={selected} productId={data.product?.id} onToggle={toggle} onUploaded={() => revalidator.revalidate()} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <StudioOptionsForm
              data={data}
              fetcher={fetcher}
              selected={selected}
              options={options}
              onChange={(patch) => setOptions((current) => ({ ...current, ...patch }))}
              price={price}
            />
          </Card>
        </Layout.Section>
        <Layout.Section>
          <GenerationList generations={data.generations} started={started} provider={data.provider.kind} options={options} price={price} onRefined={addStarted} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Studio" what="the Studio" notFound="This product was not found in your store." />;
}
