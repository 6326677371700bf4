import { Banner, BlockStack, Box, InlineStack, Modal, Select, Thumbnail } from "@shopify/polaris";
import { useMemo, useState } from "react";

import type { GalleryItem, LightboxImage } from "~/publish/product-page.server";
import type { Placement } from "~/publish/publish-input";

import { AltTextField } from "./AltTextField";

type DialogItem = { assetId: string; altText: string; placement: string };

/** Placement options: append, featured, a position, or replacing one of the product's images. */
function placementOptions(gallery: GalleryItem[]) {
  return [
    { label: "Add after the current images", value: "append" },
    { label: "Make it the featured image", value: "position:0" },
    ...gallery.slice(1).map((media) => ({ label: `Put it at position ${media.position + 1}`, value: `position:${media.position}` })),
    ...gallery.map((media) => ({
      label: `Replace image ${media.position + 1}${media.alt ? ` (${media.alt.length > 40 ? `${media.alt.slice(0, 40)}…` : media.alt})` : ""}`,
      value: `replace:${media.id}`,
    })),
  ];
}

function toPlacement(value: string): Placement {
  if (value.startsWith("position:")) return { kind: "position", position: Number(value.slice("position:".length)) };
  if (value.startsWith("replace:")) return { kind: "replace", mediaId: value.slice("replace:".length) };
  return { kind: "append" };
}

export function PublishDialog(props: {
  productNumericId: string;
  productTitle: string;
  gallery: GalleryItem[];
  images: LightboxImage[];
  submitting: boolean;
  error: string | null;
  onClose: () => void;
  onPublish: (items: Array<{ assetId: string; altText: string; placement: Placement }>) => void;
}) {
  const [items, setItems] = useState<DialogItem[]>(() =>
    props.images.map((image) => ({ assetId: image.assetId, altText: image.publication?.altText ?? "", placement: "append" })),
  );
  const options = useMemo(() => placementOptions(props.gallery), [props.gallery]);
  const update = (assetId: string, patch: Partial<DialogItem>) =>
    setItems((current) => current.map((item) => (item.assetId === assetId ? { ...item, ...patch } : item)));
  const replaced = items.filter((item) => item.placement.startsWith("replace:")).map((item) => item.placement);
  const clash = replaced.length !== new Set(replaced).size;

  return (
    <Modal
      open
      onClose={props.onClose}
      title={props.images.length === 1 ? "Publish 1 image" : `Publish ${props.images.length} images`}
      primaryAction={{
        content: "Publish",
        loading: props.submitting,
        disabled: clash || items.some((item) => item.altText.trim() === ""),
        onAction: () => props.onPublish(items.map((item) => ({ assetId: item.assetId, altText: item.altText.trim(), placement: toPlacement(item.placement) }))),
      }}
      secondaryActions={[{ content: "Cancel", onAction: props.onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="400">
          {props.error ? <Banner tone="critical">{props.error}</Banner> : null}
          {clash ? <Banner tone="warning">Two images can't replace the same product image. Choose another place for one of them.</Banner> : null}
          {props.images.map((image) => {
            const item = items.find((candidate) => candidate.assetId === image.assetId)!;
            return (
              <InlineStack key={image.assetId} gap="300" blockAlign="start" wrap={false}>
                <Box minWidth="96px">
                  <Thumbnail source={image.thumbUrl} alt="" size="large" />
                </Box>
                <Box width="100%">
                  <BlockStack gap="200">
                    <AltTextField
                      productNumericId={props.productNumericId}
                      productTitle={props.productTitle}
                      assetId={image.assetId}
                      value={item.altText}
                      onChange={(altText) => update(image.assetId, { altText })}
                    />
                    <Select label="Where" options={options} value={item.placement} onChange={(placement) => update(image.assetId, { placement })} />
                  </BlockStack>
                </Box>
              </InlineStack>
            );
          })}
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
