import { Banner, BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

/** The new token's plaintext, shown this once with a Copy button. */
export function NewTokenBanner({ plaintext, name, onDismiss }: { plaintext: string; name: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Banner tone="success" title={`Token "${name}" created`} onDismiss={onDismiss}>
      <BlockStack gap="200">
        <Text as="p">Copy it now and store it somewhere safe. For your security it will not be shown again.</Text>
        <InlineStack gap="200" blockAlign="end" wrap={false}>
          <div style={{ flexGrow: 1 }}>
            <TextField label="API token" labelHidden value={plaintext} readOnly autoComplete="off" monospaced selectTextOnFocus />
          </div>
          <Button
            onClick={() => {
              void navigator.clipboard?.writeText(plaintext).then(() => setCopied(true));
            }}
          >
            {copied ? "Copied" : "Copy"}
          </Button>
        </InlineStack>
      </BlockStack>
    </Banner>
  );
}
