import { Banner, BlockStack, ProgressBar } from "@shopify/polaris";

import type { ProductPageData } from "~/publish/product-page.server";

/** What the latest publish or revert job is doing, or how it ended. */
export function ActivityBanner({ data }: { data: ProductPageData }) {
  const activity = data.activity;
  if (!activity) return null;
  const running = activity.status === "queued" || activity.status === "running";
  if (activity.kind === "revert") {
    if (running) return <Banner tone="info" title="Restoring the original gallery…" />;
    if (activity.status === "failed") {
      return (
        <Banner tone="critical" title="The gallery could not be restored">
          <p>{activity.message ?? "Try again."}</p>
        </Banner>
      );
    }
    return data.snapshot?.restoredAt ? (
      <Banner tone="success" title="Original gallery restored">
        <p>The product has the images, order and alt text it had before Lightbox changed it.</p>
      </Banner>
    ) : null;
  }
  if (running) {
    return (
      <Banner tone="info" title="Publishing to Shopify…">
        <BlockStack gap="200">
          <p>{activity.message ?? "Waiting to start"}</p>
          <ProgressBar progress={Math.max(5, activity.progress)} size="small" />
        </BlockStack>
      </Banner>
    );
  }
  if (activity.status === "failed") {
    return (
      <Banner tone="critical" title="Publishing stopped">
        <p>{activity.message ?? "Try publishing again."}</p>
      </Banner>
    );
  }
  if (data.counts.failed > 0) {
    return (
      <Banner tone="warning" title={data.counts.failed === 1 ? "1 image could not be published" : `${data.counts.failed} images could not be published`}>
        <p>The reason is shown under each image. Fix it, select the image and publish it again.</p>
      </Banner>
    );
  }
  return null;
}
