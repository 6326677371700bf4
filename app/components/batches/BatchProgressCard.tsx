// A batch's progress: the bar, counts per state, how long the rest should take, and why it stopped.
import { Link } from "@remix-run/react";
import { Banner, BlockStack, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";

import type { BatchSummary } from "~/batches/batch-view.server";

import { billingLine, duration } from "./status";

export function BatchProgressCard({ batch }: { batch: BatchSummary }) {
  const { counts } = batch;
  const done = counts.review + counts.published + counts.rejected;
  const parts = [
    `${done} done`,
    counts.working ? `${counts.working} being made` : null,
    counts.publishing ? `${counts.publishing} publishing` : null,
    counts.failed ? `${counts.failed} failed` : null,
    counts.waiting ? `${counts.waiting} waiting` : null,
    counts.cancelled ? `${counts.cancelled} cancelled` : null,
  ].filter(Boolean);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingSm">
            {batch.style} · {batch.selection}
          </Text>
          <Text as="span" tone="subdued">
            {batch.variants} image{batch.variants === 1 ? "" : "s"} per product · {batch.resolution} · {batch.aspectRatio} ·{" "}
            {batch.billing === "credits" ? `${batch.pricePerItem} credit${batch.pricePerItem === 1 ? "" : "s"} per product` : billingLine(batch.billing, 0)}
          </Text>
        </InlineStack>
        <ProgressBar progress={batch.progress} animated={false} tone={counts.failed > 0 ? "critical" : "primary"} />
        <InlineStack align="space-between">
          <Text as="p">
            {parts.join(" · ")} (of {counts.total})
          </Text>
          {batch.secondsLeft !== null ? <Text as="p" tone="subdued">{`${duration(batch.secondsLeft)} left`}</Text> : null}
        </InlineStack>
        {batch.stopReason ? (
          <Banner tone="warning" title="This batch is paused">
            <p>
              {batch.stopReason} {/credits/i.test(batch.stopReason) ? <Link to="/app/plans">Buy credits</Link> : null}
            </p>
          </Banner>
        ) : null}
        {batch.onResult === "publish" ? (
          <Text as="p" tone="subdued">
            Results are published to their products as they come ({batch.placement === "featured" ? "as the featured image" : "added at the end of the gallery"}).
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
