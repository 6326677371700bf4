import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { Form } from "@remix-run/react";

/** The fidelity check setting: on or off, with what it does and that it costs nothing. */
export function FidelityCheckCard({ enabled, available, threshold, busy }: { enabled: boolean; available: boolean; threshold: number; busy: boolean }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            Product check
          </Text>
          <Badge tone={enabled && available ? "success" : undefined}>{!available ? "Off on this server" : enabled ? "On" : "Off"}</Badge>
        </InlineStack>
        <Text as="p" tone="subdued">
          After each image is made, Lightbox compares the product in it with your photo (shape, colour, label text, logo). Images scoring below {threshold} of 100 are
          marked “Check product” with what differs, and can be regenerated once free. The check itself costs no credits.
        </Text>
        {available ? (
          <Form method="post">
            <input type="hidden" name="intent" value="fidelity-check" />
            <input type="hidden" name="enabled" value={enabled ? "off" : "on"} />
            <Button submit loading={busy}>
              {enabled ? "Turn off" : "Turn on"}
            </Button>
          </Form>
        ) : null}
      </BlockStack>
    </Card>
  );
}
