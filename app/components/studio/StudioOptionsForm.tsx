import type { FetcherWithComponents } from "@remix-run/react";
import { Banner, BlockStack, Button, FormLayout, InlineStack, Select, Text } from "@shopify/polaris";

import { creditsPerImage } from "~/credits/prices";
import type { StudioData } from "~/generation/studio.server";

import { modelPatch, StyleFields } from "../StyleFields";

export type StudioOptions = {
  presetId: string;
  customPrompt: string;
  aspectRatio: string;
  resolution: "1K" | "2K" | "4K";
  model: string;
  variants: string;
};

export type StudioActionData = { generationId?: string; error?: { detail: string; fieldErrors?: Record<string, string> } };

export const defaultOptions = (data: StudioData): StudioOptions => ({
  presetId: data.presets[0]?.id ?? "",
  customPrompt: "",
  aspectRatio: "1:1",
  resolution: "1K",
  model: data.models[0]?.id ?? "",
  variants: "2",
});

/**
 * The options as they can be sent: a model the page no longer offers (Gemini retired it while the
 * page was open) becomes the default, with a size that model has.
 */
export function offeredOptions(data: StudioData, options: StudioOptions): StudioOptions {
  if (data.models.some((m) => m.id === options.model)) return options;
  const fallback = data.models[0];
  if (!fallback) return options;
  return { ...options, model: fallback.id, resolution: fallback.resolutions.includes(options.resolution) ? options.resolution : "1K" };
}

/** Credits the options cost this shop (0 with its own key or the offline compositor), as the server charges them. */
export function optionsPrice(data: StudioData, options: StudioOptions): number {
  if (data.provider.free) return 0;
  return Math.ceil((creditsPerImage(options.model, options.resolution) ?? 0) * Number(options.variants));
}

/** "½ credit per image, rounded up" for the draft model: the preview says how the figure comes about. */
function perImageNote(options: StudioOptions): string | null {
  const perImage = creditsPerImage(options.model, options.resolution);
  return perImage !== undefined && !Number.isInteger(perImage) ? ` (${perImage === 0.5 ? "½" : perImage} credit per image, rounded up)` : null;
}

/** "2. Style": preset, own direction, size, model and variants, then Generate with its price. */
export function StudioOptionsForm(props: {
  data: StudioData;
  fetcher: FetcherWithComponents<StudioActionData>;
  selected: string[];
  options: StudioOptions;
  onChange: (patch: Partial<StudioOptions>) => void;
  price: number;
}) {
  const { data, fetcher, options, onChange, price } = props;
  const error = fetcher.data?.error;
  const model = data.models.find((m) => m.id === options.model);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="generate" />
      {props.selected.map((id) => (
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
          <StyleFields named presets={data.presets} presetId={options.presetId} customPrompt={options.customPrompt} onChange={onChange} error={error?.fieldErrors?.customPrompt} />
          <FormLayout.Group condensed>
            <Select label="Aspect ratio" name="aspectRatio" options={data.aspectRatios} value={options.aspectRatio} onChange={(aspectRatio) => onChange({ aspectRatio })} />
            <Select
              label="Size"
              name="resolution"
              options={model?.resolutions ?? ["1K"]}
              value={options.resolution}
              onChange={(v) => onChange({ resolution: v as StudioOptions["resolution"] })}
            />
            <Select
              label="Model"
              name="model"
              options={data.models.map((m) => ({ label: m.label, value: m.id }))}
              value={options.model}
              onChange={(id) => onChange(modelPatch(data.models, id, options.resolution))}
              error={error?.fieldErrors?.model}
            />
            <Select label="Variants" name="variants" options={["1", "2", "3", "4"]} value={options.variants} onChange={(variants) => onChange({ variants })} />
          </FormLayout.Group>
        </FormLayout>
        {error ? <Banner tone="critical">{error.detail}</Banner> : null}
        <InlineStack align="space-between" blockAlign="center">
          <Text as="p" tone={price > data.credits ? "critical" : "subdued"}>
            {price === 0
              ? data.provider.usesOwnKey
                ? "Free: uses your own Gemini key"
                : "Free: composed locally, no AI"
              : `Costs ${price} credit${price === 1 ? "" : "s"}${perImageNote(options) ?? ""} · you have ${data.credits}`}
          </Text>
          <Button variant="primary" submit disabled={props.selected.length === 0} loading={fetcher.state !== "idle"}>
            Generate
          </Button>
        </InlineStack>
      </BlockStack>
    </fetcher.Form>
  );
}
