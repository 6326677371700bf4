import { Link } from "@remix-run/react";
import { Badge, BlockStack, Box, Checkbox, InlineGrid, Text } from "@shopify/polaris";

import type { LibraryItem } from "~/assets/library-page.server";

const KIND_LABEL: Record<LibraryItem["kind"], string> = {
  upload: "Upload",
  product_photo: "Product photo",
  generated: "Generated",
};

/** The images; with `selected`/`onToggle`, each has a checkbox (the Library's export selection). */
export function AssetGrid({ items, selected, onToggle }: { items: LibraryItem[]; selected?: ReadonlySet<string>; onToggle?: (id: string) => void }) {
  return (
    <InlineGrid columns={{ xs: 2, sm: 3, md: 4, lg: 6 }} gap="300">
      {items.map((item) => (
        <BlockStack key={item.id} gap="100">
          {onToggle ? (
            <Checkbox label={`Select ${item.filename ?? "image"}`} labelHidden checked={selected?.has(item.id) ?? false} onChange={() => onToggle(item.id)} />
          ) : null}
          <AssetCard item={item} />
        </BlockStack>
      ))}
    </InlineGrid>
  );
}

function AssetCard({ item }: { item: LibraryItem }) {
  return (
    <Link to={`/app/library/${item.id}`} style={{ textDecoration: "none", color: "inherit" }} aria-label={item.filename ?? item.id}>
      <Box background="bg-surface" borderRadius="200" borderWidth="025" borderColor="border" overflowX="hidden" overflowY="hidden">
        <img
          src={item.thumbUrl}
          alt={item.filename ?? "Library image"}
          loading="lazy"
          style={{ width: "100%", aspectRatio: "1", objectFit: "cover", display: "block", background: "#f1f1f1" }}
        />
        <Box padding="200">
          <BlockStack gap="100">
            <Text as="span" variant="bodySm" truncate>
              {item.filename ?? `${item.width} × ${item.height}`}
            </Text>
            <div>
              <Badge tone={item.kind === "generated" ? "magic" : undefined}>{KIND_LABEL[item.kind]}</Badge>
            </div>
          </BlockStack>
        </Box>
      </Box>
    </Link>
  );
}
