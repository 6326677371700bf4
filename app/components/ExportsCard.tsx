import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";

import type { ExportView } from "~/exports/export-view.server";

const TONE: Record<ExportView["status"], "info" | "success" | "critical" | undefined> = {
  queued: "info",
  running: "info",
  ready: "success",
  failed: "critical",
  expired: undefined,
};

const size = (bytes: number | null) => (bytes === null ? "" : bytes > 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** One export: progress while it is built (polled), then its download link until it expires. */
function ExportRow({ initial }: { initial: ExportView }) {
  const fetcher = useFetcher<ExportView>();
  const view = fetcher.data ?? initial;
  const pending = view.status === "queued" || view.status === "running";
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      if (fetcher.state === "idle") fetcher.load(`/app/exports/${view.id}?poll=1`);
    }, 1_000);
    return () => clearInterval(timer);
  }, [pending, fetcher, view.id]);
  const what = view.scope === "all_data" ? "All data" : "Images";
  return (
    <BlockStack gap="150">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="span" fontWeight="semibold">
            {what}, {new Date(view.createdAt).toLocaleString()}
          </Text>
          <Badge tone={TONE[view.status]}>{view.status}</Badge>
        </InlineStack>
        {view.download ? (
          <Button url={view.download.url} target="_blank" variant="primary">
            {`Download ZIP (${view.itemCount} image${view.itemCount === 1 ? "" : "s"}, ${size(view.bytes)})`}
          </Button>
        ) : null}
      </InlineStack>
      {pending ? <ProgressBar progress={view.progress} size="small" /> : null}
      {view.status === "failed" && view.error ? <Text as="p" tone="critical">{view.error}</Text> : null}
      {view.status === "ready" && view.expiresAt ? (
        <Text as="p" tone="subdued" variant="bodySm">
          Available until {new Date(view.expiresAt).toLocaleString()}.
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** The shop's latest exports, newest first. */
export function ExportsCard({ exports }: { exports: ExportView[] }) {
  if (exports.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Exports
        </Text>
        {exports.map((view) => (
          <ExportRow key={view.id} initial={view} />
        ))}
      </BlockStack>
    </Card>
  );
}
