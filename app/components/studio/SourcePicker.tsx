import { BlockStack, Card, Checkbox, InlineGrid, Text } from "@shopify/polaris";

import { UploadDropZone } from "~/components/UploadDropZone";
import type { ImageView } from "~/generation/generation-view.server";

/** "1. Source photos": the product's photos and uploads to generate from, and a drop zone for more. */
export function SourcePicker(props: { sources: ImageView[]; selected: string[]; productId?: string; onToggle: (id: string) => void; onUploaded: () => void }) {
  const { sources, selected } = props;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          1. Source photos
        </Text>
        {sources.length === 0 ? (
          <Text as="p" tone="subdued">
            Pick a product with photos, or upload a photo below.
          </Text>
        ) : (
          <InlineGrid columns={{ xs: 3, md: 6 }} gap="200">
            {sources.map((source) => (
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
                <Checkbox label="Use" checked={selected.includes(source.id)} onChange={() => props.onToggle(source.id)} />
              </label>
            ))}
          </InlineGrid>
        )}
        <UploadDropZone onUploaded={props.onUploaded} productId={props.productId} />
      </BlockStack>
    </Card>
  );
}
