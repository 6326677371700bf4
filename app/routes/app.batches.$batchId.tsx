import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { useEffect } from "react";

import { text, z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { cancelBatch, pauseBatch, resumeBatch } from "~/batches/control-batch.server";
import { approveAllBatchItems, approveBatchItem, regenerateBatchItem, rejectBatchItem } from "~/batches/review-batch-item.server";
import { batchView, type BatchView } from "~/batches/batch-view.server";
import { BatchItemGrid, type ItemAction } from "~/components/batches/BatchItemGrid";
import { BatchProgressCard } from "~/components/batches/BatchProgressCard";
import { batchBadge } from "~/components/batches/status";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { regenerateFree } from "~/generation/regenerate-free.server";

type Loaded = BatchView & { loadedAt: number };
type PollData = Loaded | { error: { detail: string } };
type ActionData = { done: string; sent?: number; inStudio?: boolean } | { error: { detail: string } };

export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, { errors: "page" }, async ({ db, storage, shop, params }) =>
    Response.json({ ...(await batchView(db, storage, shop.id, params.batchId ?? "")), loadedAt: Date.now() } satisfies Loaded, {
      headers: { "Cache-Control": "no-store" },
    }),
  );

// Schemas inside the arrow: this module's top level also runs in the browser, where the server
// modules (and zod with them) are left out.
export const action = (args: ActionFunctionArgs) =>
  adminRoute(
    args,
    {
      intents: {
        approve: z.object({ itemId: text() }),
        reject: z.object({ itemId: text() }),
        regenerate: z.object({ itemId: text() }),
        regenerateFree: z.object({ assetId: text() }),
        approveAll: z.object({}),
        pause: z.object({}),
        resume: z.object({}),
        cancel: z.object({}),
      },
    },
    async ({ db, shop, params, form }) => {
      const batchId = params.batchId ?? "";
      switch (form.intent) {
        case "approve":
          await approveBatchItem(db, shop.id, batchId, form.itemId);
          break;
        case "reject":
          await rejectBatchItem(db, shop.id, batchId, form.itemId);
          break;
        case "regenerate":
          await regenerateBatchItem(db, shop.id, batchId, form.itemId);
          break;
        case "regenerateFree": {
          const made = await regenerateFree(db, { shopId: shop.id, assetId: form.assetId });
          return Response.json({ done: "regenerateFree", inStudio: !made.batchItemId } satisfies ActionData);
        }
        case "approveAll":
          return Response.json({ done: "approveAll", sent: await approveAllBatchItems(db, shop.id, batchId) } satisfies ActionData);
        case "pause":
          await pauseBatch(db, shop.id, batchId);
          break;
        case "resume":
          await resumeBatch(db, shop.id, batchId);
          break;
        case "cancel":
          await cancelBatch(db, shop.id, batchId);
          break;
      }
      return Response.json({ done: form.intent } satisfies ActionData);
    },
  );

export default function BatchPage() {
  const loaded = useLoaderData<Loaded>();
  const poll = useFetcher<PollData>();
  const fetcher = useFetcher<ActionData>();
  const location = useLocation();
  const polled = poll.data && "loadedAt" in poll.data ? poll.data : null;
  // Whichever is newer: a poll, or the reload Remix does after an action.
  const batch: Loaded = polled && polled.loadedAt > loaded.loadedAt ? polled : loaded;
  const { counts } = batch;
  const moving = counts.waiting + counts.working + counts.publishing > 0 && batch.status !== "cancelled";

  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => {
      if (poll.state === "idle") poll.load(`${location.pathname}?poll=1`);
    }, 1500);
    return () => clearInterval(timer);
  }, [moving, poll, location.pathname]);

  const error = (fetcher.data && "error" in fetcher.data ? fetcher.data.error : null) ?? (poll.data && "error" in poll.data ? poll.data.error : null);
  const send = (intent: string, fields: Record<string, string> = {}) => fetcher.submit({ intent, ...fields }, { method: "post" });
  const busy = fetcher.state !== "idle";
  const secondary = [
    batch.status === "running" ? { content: "Pause", onAction: () => send("pause"), disabled: busy } : null,
    batch.status === "paused" ? { content: "Resume", onAction: () => send("resume"), disabled: busy } : null,
    batch.status === "running" || batch.status === "paused"
      ? { content: "Cancel batch", destructive: true, onAction: () => send("cancel"), disabled: busy, helpText: "Products not made yet are not charged; those being made are refunded." }
      : null,
  ].filter((action) => action !== null);

  return (
    <Page
      backAction={{ content: "Batches", url: "/app/batches" }}
      title="Batch review"
      titleMetadata={<Badge tone={batchBadge(batch).tone}>{batchBadge(batch).label}</Badge>}
      primaryAction={{
        content: counts.review > 0 ? `Approve all (${counts.review})` : "Approve all",
        disabled: counts.review === 0 || busy,
        onAction: () => send("approveAll"),
      }}
      secondaryActions={secondary}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {fetcher.data && "done" in fetcher.data && fetcher.data.done === "regenerateFree" ? (
              <Banner tone="success" title="Regenerating free">
                <p>
                  No credits are used.{" "}
                  {"inStudio" in fetcher.data && fetcher.data.inStudio
                    ? "The new image appears in the Studio for that product."
                    : "The new image replaces this product's result here when it is ready."}
                </p>
              </Banner>
            ) : null}
            {error ? (
              <Banner tone="critical" title="That didn't work">
                <p>{error.detail}</p>
              </Banner>
            ) : null}
            <BatchProgressCard batch={batch} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <BatchItemGrid
            items={batch.items}
            regeneratePrice={batch.pricePerItem}
            busy={busy}
            cancelled={batch.status === "cancelled"}
            onAction={(intent: ItemAction, itemId) => send(intent, { itemId })}
            onRegenerateFree={(assetId) => send("regenerateFree", { assetId })}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Batch" what="this batch" notFound="This batch was not found." back={{ content: "Batches", url: "/app/batches" }} />;
}
