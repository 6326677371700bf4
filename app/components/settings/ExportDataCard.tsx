import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, Text } from "@shopify/polaris";

/** "Export all my data": one ZIP of everything Lightbox holds for the shop. */
export function ExportDataCard({ busy }: { busy: boolean }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="p">
          A ZIP with every image (as stored), how each generation was made, where images were published, your credit ledger, your API tokens
          (names and dates, never the tokens) and the API request log. It is kept for 24 hours.
        </Text>
        <Form method="post">
          <input type="hidden" name="intent" value="export-all" />
          <Button submit loading={busy}>
            Export all my data
          </Button>
        </Form>
      </BlockStack>
    </Card>
  );
}
