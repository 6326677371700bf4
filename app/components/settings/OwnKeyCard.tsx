import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

/** The shop's own Gemini key: its hint and "Remove key", or the form to save one. */
export function OwnKeyCard(props: { ownKey: { hint: string } | null; error?: string; busy: (intent: string) => boolean }) {
  const [apiKey, setApiKey] = useState("");
  return (
    <Card>
      {props.ownKey ? (
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="p">Key {props.ownKey.hint}</Text>
            <Badge tone="success">In use</Badge>
          </InlineStack>
          <Form method="post">
            <input type="hidden" name="intent" value="remove-key" />
            <Button submit tone="critical" loading={props.busy("remove-key")}>
              Remove key
            </Button>
          </Form>
        </BlockStack>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="save-key" />
          <BlockStack gap="200">
            <TextField
              label="Gemini API key"
              name="apiKey"
              type="password"
              value={apiKey}
              onChange={setApiKey}
              autoComplete="off"
              helpText="From Google AI Studio → API keys. We check it with a free call before saving."
              error={props.error}
            />
            <InlineStack>
              <Button submit variant="primary" disabled={apiKey.trim().length < 20} loading={props.busy("save-key")}>
                Save key
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      )}
    </Card>
  );
}
