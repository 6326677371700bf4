// "New batch": which products, which style, what happens to the results.
import { BlockStack, Button, Card, Checkbox, ChoiceList, FormLayout, InlineStack, Select, Tag, Text, TextField } from "@shopify/polaris";

import type { BatchFormData } from "~/batches/batch-form.server";

import { modelPatch, StyleFields } from "../StyleFields";

export type BatchForm = {
  kind: "products" | "filter";
  productIds: string[];
  productTitles: string[];
  search: string;
  productType: string;
  vendor: string;
  tag: string;
  status: string;
  withoutLightboxImages: boolean;
  presetId: string;
  customPrompt: string;
  model: string;
  resolution: string;
  aspectRatio: string;
  variants: string;
  onResult: "review" | "publish";
  placement: "featured" | "append";
};

export const initialForm = (data: BatchFormData): BatchForm => ({
  kind: "filter",
  productIds: [],
  productTitles: [],
  search: "",
  productType: "",
  vendor: "",
  tag: "",
  status: "",
  withoutLightboxImages: true,
  presetId: data.presets[0]?.id ?? "",
  customPrompt: "",
  model: data.models[0]?.id ?? "",
  resolution: "1K",
  aspectRatio: "1:1",
  variants: "1",
  onResult: "review",
  placement: "append",
});

export function BatchSettingsForm(props: {
  data: BatchFormData;
  form: BatchForm;
  errors: Record<string, string> | undefined;
  onChange: (patch: Partial<BatchForm>) => void;
  onPickProducts: () => void;
}) {
  const { data, form, onChange, errors } = props;
  const model = data.models.find((m) => m.id === form.model);
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingSm">
            1. Products
          </Text>
          <ChoiceList
            title="Which products"
            titleHidden
            choices={[
              { label: "Products that match filters (none: every product)", value: "filter" },
              { label: "Products I choose", value: "products" },
            ]}
            selected={[form.kind]}
            onChange={([kind]) => onChange({ kind: kind as BatchForm["kind"] })}
          />
          {form.kind === "products" ? (
            <BlockStack gap="200">
              <InlineStack gap="200">
                <Button onClick={props.onPickProducts}>{form.productIds.length > 0 ? "Change products" : "Choose products"}</Button>
                <Text as="span" tone={errors?.["selection.productIds"] ? "critical" : "subdued"}>
                  {errors?.["selection.productIds"] ?? `${form.productIds.length} chosen`}
                </Text>
              </InlineStack>
              <InlineStack gap="100">
                {form.productTitles.slice(0, 20).map((title, index) => (
                  <Tag key={form.productIds[index]}>{title}</Tag>
                ))}
              </InlineStack>
            </BlockStack>
          ) : (
            <FormLayout>
              <FormLayout.Group condensed>
                <TextField label="Title contains" value={form.search} onChange={(search) => onChange({ search })} autoComplete="off" />
                <TextField label="Product type" value={form.productType} onChange={(productType) => onChange({ productType })} autoComplete="off" />
                <TextField label="Vendor" value={form.vendor} onChange={(vendor) => onChange({ vendor })} autoComplete="off" />
                <TextField label="Tag" value={form.tag} onChange={(tag) => onChange({ tag })} autoComplete="off" />
              </FormLayout.Group>
              <FormLayout.Group condensed>
                <Select
                  label="Status"
                  options={[{ label: "Any", value: "" }, ...data.statuses.map((s) => ({ label: s.charAt(0) + s.slice(1).toLowerCase(), value: s }))]}
                  value={form.status}
                  onChange={(status) => onChange({ status })}
                />
                <Checkbox label="Only products without a Lightbox image yet" checked={form.withoutLightboxImages} onChange={(withoutLightboxImages) => onChange({ withoutLightboxImages })} />
              </FormLayout.Group>
            </FormLayout>
          )}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingSm">
            2. Style
          </Text>
          <FormLayout>
            <StyleFields presets={data.presets} presetId={form.presetId} customPrompt={form.customPrompt} onChange={onChange} error={errors?.["settings.customPrompt"]} />
            <FormLayout.Group condensed>
              <Select label="Model" options={data.models.map((m) => ({ label: m.label, value: m.id }))} value={form.model} onChange={(value) => onChange(modelPatch(data.models, value, form.resolution))} />
              <Select label="Size" options={(model?.resolutions ?? ["1K"]).map((r) => ({ label: r, value: r }))} value={form.resolution} onChange={(resolution) => onChange({ resolution })} />
              <Select label="Aspect ratio" options={data.aspectRatios} value={form.aspectRatio} onChange={(aspectRatio) => onChange({ aspectRatio })} />
              <Select label="Images per product" options={["1", "2", "3", "4"]} value={form.variants} onChange={(variants) => onChange({ variants })} />
            </FormLayout.Group>
          </FormLayout>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingSm">
            3. When an image is ready
          </Text>
          <ChoiceList
            title="When an image is ready"
            titleHidden
            choices={[
              { label: "Keep it for my review (nothing changes in the store until I approve)", value: "review" },
              { label: "Publish it to the product right away, with Gemini alt text", value: "publish" },
            ]}
            selected={[form.onResult]}
            onChange={([onResult]) => onChange({ onResult: onResult as BatchForm["onResult"] })}
          />
          <Select
            label="Where it goes in the gallery"
            options={[
              { label: "Add at the end", value: "append" },
              { label: "Make it the featured (first) image", value: "featured" },
            ]}
            value={form.placement}
            onChange={(placement) => onChange({ placement: placement as BatchForm["placement"] })}
          />
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
