import { Badge, BlockStack, Card, InlineGrid, InlineStack, Text, Thumbnail } from "@shopify/polaris";
import { ImageIcon } from "@shopify/polaris-icons";

import type { GalleryItem } from "~/publish/product-page.server";

/** The product's gallery as Shopify has it now, in the order shoppers see it. */
export function GalleryCard({ gallery }: { gallery: GalleryItem[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            On Shopify now
          </Text>
          <Text as="span" tone="subdued">
            {gallery.length === 1 ? "1 image" : `${gallery.length} images`}, in the order shoppers see them
          </Text>
        </InlineStack>
        {gallery.length === 0 ? (
          <Text as="p" tone="subdued">
            This product has no images in Shopify yet.
          </Text>
        ) : (
          <InlineGrid columns={{ xs: 2, sm: 3, md: 5 }} gap="300">
            {gallery.map((media) => (
              <GalleryTile key={media.id} media={media} />
            ))}
          </InlineGrid>
        )}
      </BlockStack>
    </Card>
  );
}

function GalleryTile({ media }: { media: GalleryItem }) {
  return (
    <BlockStack gap="100">
      <div style={{ position: "relative" }}>
        {media.previewUrl ? (
          <img
            src={media.previewUrl}
            alt={media.alt || `Image ${media.position + 1}`}
            style={{ width: "100%", aspectRatio: "1", objectFit: "cover", borderRadius: 8, border: "1px solid #e3e3e3", display: "block" }}
          />
        ) : (
          <Thumbnail source={ImageIcon} alt="" size="large" />
        )}
      </div>
      <InlineStack gap="100" wrap>
        <Badge tone={media.position === 0 ? "info" : undefined}>{media.position === 0 ? "Featured" : `#${media.position + 1}`}</Badge>
        {media.fromLightbox ? <Badge tone="magic">Lightbox</Badge> : null}
        {media.status !== "READY" ? <Badge tone={media.status === "FAILED" ? "critical" : "attention"}>{media.status.toLowerCase()}</Badge> : null}
      </InlineStack>
      <Text as="p" variant="bodySm" tone={media.alt ? undefined : "subdued"}>
        {media.alt || "No alt text"}
      </Text>
      {media.error ? (
        <Text as="p" variant="bodySm" tone="critical">
          {media.error}
        </Text>
      ) : null}
    </BlockStack>
  );
}
