// The review queue: per product, its photo beside the result(s), the state, and what can be done.
import { Badge, BlockStack, Box, Button, ButtonGroup, Card, InlineGrid, InlineStack, Text, Thumbnail } from "@shopify/polaris";
import { ImageIcon } from "@shopify/polaris-icons";

import type { BatchItemView } from "~/batches/batch-view.server";
import { FidelityFlag } from "~/components/FidelityFlag";

import { ITEM_BADGE } from "./status";

export type ItemAction = "approve" | "reject" | "regenerate";

export function BatchItemGrid(props: {
  items: BatchItemView[];
  /** Credits a regenerate costs (0: free). */
  regeneratePrice: number;
  busy: boolean;
  cancelled: boolean;
  onAction: (action: ItemAction, itemId: string) => void;
  /** A flagged result's one free regenerate. */
  onRegenerateFree: (assetId: string) => void;
}) {
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
      {props.items.map((item) => (
        <Card key={item.id}>
          <BlockStack gap="200">
            <InlineStack align="space-between" blockAlign="center" wrap={false}>
              <Text as="h3" variant="headingSm" truncate>
                {item.productTitle}
              </Text>
              <Badge tone={ITEM_BADGE[item.status].tone}>{ITEM_BADGE[item.status].label}</Badge>
            </InlineStack>
            <InlineStack gap="200" wrap={false}>
              <BlockStack gap="100">
                <Thumbnail size="large" source={item.source?.thumbUrl ?? item.productImageUrl ?? ImageIcon} alt={`${item.productTitle}: the photo it starts from`} />
                <Text as="span" variant="bodySm" tone="subdued">
                  Photo
                </Text>
              </BlockStack>
              {item.outputs.map((output, index) => (
                <BlockStack key={output.id} gap="100">
                  <a href={output.displayUrl} target="_blank" rel="noreferrer">
                    <Thumbnail size="large" source={output.thumbUrl} alt={`${item.productTitle}: Lightbox image ${index + 1}`} />
                  </a>
                  <Text as="span" variant="bodySm" tone="subdued">
                    Result{item.outputs.length > 1 ? ` ${index + 1}` : ""}
                  </Text>
                </BlockStack>
              ))}
            </InlineStack>
            {item.outputs.map((output, index) =>
              output.fidelity?.outcome === "flagged" ? (
                <BlockStack key={output.id} gap="100">
                  {item.outputs.length > 1 ? (
                    <Text as="span" variant="bodySm" fontWeight="semibold">
                      Result {index + 1}
                    </Text>
                  ) : null}
                  <FidelityFlag fidelity={output.fidelity} compact />
                  {output.fidelity.canRegenerateFree && !props.cancelled ? (
                    <InlineStack>
                      <Button size="slim" disabled={props.busy} onClick={() => props.onRegenerateFree(output.id)} accessibilityLabel={`Regenerate ${item.productTitle}'s flagged image free`}>
                        Regenerate free
                      </Button>
                    </InlineStack>
                  ) : null}
                </BlockStack>
              ) : null,
            )}
            {item.errorMessage ? (
              <Box>
                <Text as="p" tone={item.status === "failed" ? "critical" : "subdued"} variant="bodySm">
                  {item.errorMessage}
                </Text>
              </Box>
            ) : null}
            <ItemButtons {...props} item={item} />
          </BlockStack>
        </Card>
      ))}
    </InlineGrid>
  );
}

function ItemButtons(props: { item: BatchItemView; regeneratePrice: number; busy: boolean; cancelled: boolean; onAction: (action: ItemAction, itemId: string) => void }) {
  const { item, busy } = props;
  const run = (action: ItemAction) => () => props.onAction(action, item.id);
  const again = props.regeneratePrice > 0 ? ` (${props.regeneratePrice} credit${props.regeneratePrice === 1 ? "" : "s"})` : "";
  const canAgain = !props.cancelled && ["review", "rejected", "failed", "published"].includes(item.status);
  return (
    <ButtonGroup>
      {/* One child per button: ButtonGroup spaces its children, and a fragment is one child. */}
      {item.status === "review" ? (
        <Button variant="primary" disabled={busy} onClick={run("approve")} accessibilityLabel={`Approve ${item.productTitle}`}>
          Approve
        </Button>
      ) : null}
      {item.status === "review" ? (
        <Button disabled={busy} onClick={run("reject")} accessibilityLabel={`Reject ${item.productTitle}`}>
          Reject
        </Button>
      ) : null}
      {item.status === "rejected" ? (
        <Button disabled={busy} onClick={run("approve")}>
          Approve after all
        </Button>
      ) : null}
      {canAgain ? (
        <Button disabled={busy} onClick={run("regenerate")} accessibilityLabel={`Make ${item.productTitle}'s image again`}>
          {item.status === "failed" ? `Try again${again}` : `Regenerate${again}`}
        </Button>
      ) : null}
    </ButtonGroup>
  );
}
