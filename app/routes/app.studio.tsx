import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useCallback, useMemo, useState } from "react";

import { GenerationCard } from "~/components/GenerationCard";
import { UploadDropZone } from "~/components/UploadDropZone";
import { db } from "~/db.server";
import { studioAction } from "~/generation/studio-action.server";
import { studioData, type StudioData } from "~/generation/studio.server";
import { adminErrorResponse } from "~/http/errors.server";
import { interactiveClient } from "~/shopify-admin/paced-client.server";
import { authenticate } from "~/shopify.server";
import { currentShop } from "~/shops/current-shop.server";
import { ensureShop } from "~/shops/ensure-shop.server";
import { appStorage } from "~/storage/from-env.server";
import { RouteErrorPage } from "~/components/RouteErrorPage";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, admin } = await authenticate.admin(request);
  const shop = await ensureShop(db, admin.graphql, session.shop);
  const productId = new URL(request.url).searchParams.get("productId");
  try {
    return Response.json(
      await studioData(db, appStorage(), interactiveClient(session.shop, admin.graphql), {
        shopId: shop.id,
        productId: productId && /^gid:\/\/shopify\/Product\/\d+$/.test(productId) ? productId : null,
      }),
    );
  } catch (error) {
    throw adminErrorResponse(error); // Shopify busy or storage down: the page's banner says so
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const shop = await currentShop(db, session.shop);
  try {
    return Response.json(await studioAction(db, appStorage(), shop.id, await request.formData()));
  } catch (error) {
    return adminErrorResponse(error);
  }
}

type ActionData = { generationId?: string; error?: { detail: string; fieldErrors?: Record<string, string> } };

// One Studio per product: picking another product starts over (selection, started cards), so a
// generation can never go out with the previous product's photos.
export default function StudioPage() {
  const data = useLoaderData<StudioData>();
  return <Studio key={data.product?.id ?? "no-product"} />;
}

function Studio() {
  const data = useLoaderData<StudioData>();
  const shopify = useAppBridge();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const fetcher = useFetcher<ActionData>();

  const [chosen, setSelected] = useState<string[]>(data.sources.slice(0, 1).map((s) => s.id));
  // Only photos this page shows can be sent (a photo deleted meanwhile drops out of the choice).
  const selected = chosen.filter((id) => data.sources.some((source) => source.id === id));
  const [presetId, setPresetId] = useState(data.presets[0]?.id ?? "");
  const [customPrompt, setCustomPrompt] = useState("");
  const [aspectRatio, setAspectRatio] = useState("1:1");
  const [resolution, setResolution] = useState<"1K" | "2K" | "4K">("1K");
  const [model, setModel] = useState(data.models[0]?.id ?? "");
  const [variants, setVariants] = useState("2");
  const [started, setStarted] = useState<string[]>([]);

  const { prices, provider } = data;
  const price = useMemo(() => {
    if (provider.free) return 0;
    const table = prices[model as keyof typeof prices];
    return (table?.[resolution] ?? 0) * Number(variants);
  }, [prices, provider.free, model, resolution, variants]);

  const pickProduct = async () => {
    const picked = await shopify.resourcePicker({ type: "product", multiple: false });
    const product = picked?.[0];
    if (product) navigate(`/app/studio?productId=${encodeURIComponent(product.id)}`);
  };

  const addStarted = useCallback((id: string) => setStarted((ids) => (ids.includes(id) ? ids : [id, ...ids])), []);
  const lastStarted = fetcher.data?.generationId;
  if (lastStarted && !started.includes(lastStarted)) addStarted(lastStarted);

  const generations = [
    ...started.filter((id) => !data.generations.some((g) => g.id === id)).map((id) => ({ id, placeholder: true as const })),
    ...data.generations.map((g) => ({ id: g.id, placeholder: false as const, view: g })),
  ];

  const toggle = (id: string) => setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  const error = fetcher.data?.error;

  return (
    <Page
      title="Studio"
      subtitle={data.product ? `Making images for ${data.product.title}` : "Make studio and lifestyle images from your product photos"}
      titleMetadata={<Badge tone="info">{`${data.credits} credits`}</Badge>}
      primaryAction={{ content: data.product ? "Change product" : "Pick a product", onAction: () => void pickProduct() }}
      backAction={data.product ? { content: "Product", url: `/app/products/${data.product.id.split("/").pop()}` } : undefined}
    >
      <Layout>
        {data.provider.kind === "offline" ? (
          <Layout.Section>
            <Banner tone="info" title="No AI in use">
              Gemini isn't set up, so images are composed locally: your product photo placed on the style's backdrop with a soft
              shadow. It's free. Add your own Gemini API key in Settings for AI images.
            </Banner>
          </Layout.Section>
        ) : null}
        {data.product && data.product.skipped > 0 ? (
          <Layout.Section>
            <Banner tone="warning" title={`${data.product.skipped} of this product's photos could not be used`}>
              Shopify's copy could not be read as a JPEG, PNG or WebP photo (or could not be downloaded). Upload those photos below
              to use them here.
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingSm">
                1. Source photos
              </Text>
              {data.sources.length === 0 ? (
                <Text as="p" tone="subdued">
                  Pick a product with photos, or upload a photo below.
                </Text>
              ) : (
                <InlineGrid columns={{ xs: 3, md: 6 }} gap="200">
                  {data.sources.map((source) => (
                    <label key={source.id} style={{ cursor: "pointer", display: "block" }}>
                      <img
                        src={source.thumbUrl}
                        alt="Source"
                        style={{
                          width: "100%",
                          aspectRatio: "1",
                          objectFit: "cover",
                          borderRadius: 8,
                          outline: selected.includes(source.id) ? "3px solid #005bd3" : "1px solid #e3e3e3",
                        }}
                      />
                      <Checkbox label="Use" checked={selected.includes(source.id)} onChange={() => toggle(source.id)} />
                    </label>
                  ))}
                </InlineGrid>
              )}
              <UploadDropZone onUploaded={() => revalidator.revalidate()} productId={data.product?.id} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="generate" />
              {selected.map((id) => (
                <input key={id} type="hidden" name="sourceAssetIds" value={id} />
              ))}
              {data.product ? (
                <>
                  <input type="hidden" name="productId" value={data.product.id} />
                  <input type="hidden" name="productTitle" value={data.product.title} />
                </>
              ) : null}
              <BlockStack gap="300">
                <Text as="h2" variant="headingSm">
                  2. Style
                </Text>
                <FormLayout>
                  <Select
                    label="Style preset"
                    name="presetId"
                    options={data.presets.map((p) => ({ label: p.name, value: p.id }))}
                    value={presetId}
                    onChange={setPresetId}
                    helpText={data.presets.find((p) => p.id === presetId)?.description}
                  />
                  <TextField
                    label="Your own direction (optional)"
                    name="customPrompt"
                    value={customPrompt}
                    onChange={setCustomPrompt}
                    multiline={2}
                    maxLength={1000}
                    autoComplete="off"
                    error={error?.fieldErrors?.customPrompt}
                  />
                  <FormLayout.Group condensed>
                    <Select label="Aspect ratio" name="aspectRatio" options={data.aspectRatios} value={aspectRatio} onChange={setAspectRatio} />
                    <Select
                      label="Size"
                      name="resolution"
                      options={["1K", "2K", "4K"]}
                      value={resolution}
                      onChange={(v) => setResolution(v as "1K" | "2K" | "4K")}
                    />
                    <Select label="Model" name="model" options={data.models.map((m) => ({ label: m.label, value: m.id }))} value={model} onChange={setModel} />
                    <Select label="Variants" name="variants" options={["1", "2", "3", "4"]} value={variants} onChange={setVariants} />
                  </FormLayout.Group>
                </FormLayout>
                {error ? <Banner tone="critical">{error.detail}</Banner> : null}
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="p" tone={price > data.credits ? "critical" : "subdued"}>
                    {price === 0
                      ? data.provider.usesOwnKey
                        ? "Free: uses your own Gemini key"
                        : "Free: composed locally, no AI"
                      : `Costs ${price} credit${price === 1 ? "" : "s"} · you have ${data.credits}`}
                  </Text>
                  <Button variant="primary" submit disabled={selected.length === 0} loading={fetcher.state !== "idle"}>
                    Generate
                  </Button>
                </InlineStack>
              </BlockStack>
            </fetcher.Form>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="300">
            {generations.map((g) =>
              g.placeholder ? (
                <GenerationCard
                  key={g.id}
                  onRefined={addStarted}
                  generation={{
                    id: g.id,
                    status: "queued",
                    progress: 0,
                    secondsLeft: null,
                    provider: data.provider.kind,
                    model,
                    presetId,
                    instruction: null,
                    aspectRatio,
                    resolution,
                    variants: Number(variants),
                    creditsCharged: price,
                    errorMessage: null,
                    parentAssetId: null,
                    createdAt: new Date().toISOString(),
                    sources: [],
                    outputs: [],
                  }}
                />
              ) : (
                <GenerationCard key={g.id} generation={g.view} onRefined={addStarted} />
              ),
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Studio" what="the Studio" notFound="This product was not found in your store." />;
}
