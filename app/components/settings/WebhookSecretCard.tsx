import { useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";

import { ConfirmBanner } from "~/components/ConfirmBanner";

import { when } from "./format";

/** How to call the API, and the webhook signing secret (hidden until revealed), with "Rotate". */
export function WebhookSecretCard({ secret, apiBaseUrl, previousValidUntil }: { secret: string; apiBaseUrl: string; previousValidUntil: string | null }) {
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "rotate-webhook-secret";
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Using the API
        </Text>
        <Text as="p">
          Base URL <code>{apiBaseUrl}</code>. Send the token as <code>Authorization: Bearer lbx_…</code>. The reference is at{" "}
          <code>{apiBaseUrl}/openapi.json</code>.
        </Text>
        <Text as="h3" variant="headingXs">
          Webhook signing secret
        </Text>
        <Text as="p" tone="subdued">
          Generations created with a <code>webhook_url</code> POST their outcome there, signed in the <code>Lightbox-Signature</code> header
          with this secret. Verify it before trusting the request.
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <code>{shown ? secret : `${secret.slice(0, 8)}${"•".repeat(24)}`}</code>
          <Button variant="plain" onClick={() => setShown(!shown)}>
            {shown ? "Hide" : "Reveal"}
          </Button>
        </InlineStack>
        {previousValidUntil ? (
          <Text as="p" tone="subdued">
            The previous secret also signs deliveries until {when(previousValidUntil)}.
          </Text>
        ) : null}
        {confirming ? (
          <ConfirmBanner tone="warning" title="Rotate the webhook signing secret?" intent="rotate-webhook-secret" confirm="Rotate secret" busy={busy} onCancel={() => setConfirming(false)}>
            <p>A new secret signs every delivery from now on. The current one keeps signing too for 24 hours, so update your receivers within a day.</p>
          </ConfirmBanner>
        ) : (
          <InlineStack>
            <Button onClick={() => setConfirming(true)}>Rotate secret</Button>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}
