import { Badge, BlockStack, Box, Button, Card, Checkbox, InlineGrid, InlineStack, Text } from "@shopify/polaris";

import type { LightboxImage } from "~/publish/product-page.server";

const STATUS_BADGE: Record<string, { tone?: "success" | "attention" | "critical" | "info"; label: string }> = {
  queued: { tone: "info", label: "Waiting to publish" },
  processing: { tone: "attention", label: "Publishing" },
  ready: { tone: "success", label: "Published" },
  failed: { tone: "critical", label: "Failed" },
  reverted: { label: "Reverted" },
};

/** An image can be (re)published unless it is on the product already or on its way there. */
const canPublish = (image: LightboxImage) =>
  !image.publication || image.publication.status === "failed" || image.publication.status === "reverted" || !image.publication.onProduct;

/** The Lightbox images made for the product, to pick for publishing. */
export function LightboxImagesCard(props: {
  productId: string;
  images: LightboxImage[];
  selected: string[];
  busy: boolean;
  onToggle: (assetId: string) => void;
  onPublish: () => void;
}) {
  const { images, selected, busy } = props;
  const chosen = images.filter((image) => selected.includes(image.assetId)).length;
  const studioUrl = `/app/studio?productId=${encodeURIComponent(props.productId)}`;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Lightbox images for this product
          </Text>
          <Button variant="primary" disabled={chosen === 0 || busy} onClick={props.onPublish}>
            {chosen > 1 ? `Publish ${chosen} images` : "Publish selected"}
          </Button>
        </InlineStack>
        {images.length === 0 ? (
          <Box paddingBlock="600">
            <BlockStack gap="300" inlineAlign="center">
              <Text as="p" variant="headingSm">
                No Lightbox images yet
              </Text>
              <Text as="p" tone="subdued">
                Make studio and lifestyle images of this product, then publish the ones you like here.
              </Text>
              <Button url={studioUrl}>Generate images</Button>
            </BlockStack>
          </Box>
        ) : (
          <InlineGrid columns={{ xs: 2, sm: 3, md: 4 }} gap="300">
            {images.map((image) => (
              <ImageTile
                key={image.assetId}
                image={image}
                selectable={canPublish(image) && !busy}
                selected={selected.includes(image.assetId)}
                onToggle={() => props.onToggle(image.assetId)}
              />
            ))}
          </InlineGrid>
        )}
      </BlockStack>
    </Card>
  );
}

function ImageTile({ image, selectable, selected, onToggle }: { image: LightboxImage; selectable: boolean; selected: boolean; onToggle: () => void }) {
  const publication = image.publication;
  const badge = publication ? STATUS_BADGE[publication.status] : null;
  const label = image.kind === "generated" ? "Generated" : "Upload";
  return (
    <BlockStack gap="100">
      <img
        src={image.thumbUrl}
        alt={publication?.altText || `${label} image`}
        style={{
          width: "100%",
          aspectRatio: "1",
          objectFit: "cover",
          borderRadius: 8,
          display: "block",
          outline: selected ? "3px solid #005bd3" : "1px solid #e3e3e3",
        }}
      />
      <InlineStack gap="100" wrap>
        <Badge tone={image.kind === "generated" ? "magic" : undefined}>{label}</Badge>
        {badge ? <Badge tone={badge.tone}>{publication?.status === "ready" && !publication.onProduct ? "Removed in Shopify" : badge.label}</Badge> : null}
      </InlineStack>
      {publication?.errorMessage ? (
        <Text as="p" variant="bodySm" tone={publication.status === "failed" ? "critical" : "subdued"}>
          {publication.errorMessage}
        </Text>
      ) : null}
      <Checkbox label="Select to publish" checked={selected} disabled={!selectable} onChange={onToggle} />
    </BlockStack>
  );
}
