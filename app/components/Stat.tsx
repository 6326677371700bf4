import { BlockStack, Card, Text } from "@shopify/polaris";

/** A figure with its label (and a hint under it). */
export function Figure({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        {value}
      </Text>
      {hint ? (
        <Text as="p" tone="subdued" variant="bodySm">
          {hint}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** A figure on a card of its own (Home's and Usage's totals). */
export function Stat(props: { label: string; value: string | number }) {
  return (
    <Card>
      <Figure {...props} />
    </Card>
  );
}
