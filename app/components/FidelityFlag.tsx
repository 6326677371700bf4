// A result's fidelity check: flagged results carry a warning badge and what drifted; passed ones a
// quiet line. Shared by the Studio's cards and the batch review.
import { Badge, BlockStack, InlineStack, List, Text } from "@shopify/polaris";

import type { FidelityView } from "~/generation/generation-view.server";

export function FidelityFlag({ fidelity, compact = false }: { fidelity: FidelityView | null; compact?: boolean }) {
  if (!fidelity || fidelity.outcome === "skipped") return null;
  if (fidelity.outcome === "passed") {
    return (
      <Text as="span" variant="bodySm" tone="subdued">
        Product check passed{fidelity.score !== null ? ` (${fidelity.score}/100)` : ""}
      </Text>
    );
  }
  const reasons = fidelity.reasons.length > 0 ? fidelity.reasons : ["The product may not look exactly like the source photo."];
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone="warning">Check product</Badge>
        {fidelity.score !== null ? (
          <Text as="span" variant="bodySm" tone="subdued">
            Fidelity {fidelity.score}/100
          </Text>
        ) : null}
      </InlineStack>
      {compact ? (
        <Text as="p" variant="bodySm">
          {reasons.join(" ")}
        </Text>
      ) : (
        <List type="bullet">
          {reasons.map((reason) => (
            <List.Item key={reason}>
              <Text as="span" variant="bodySm">
                {reason}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
    </BlockStack>
  );
}
