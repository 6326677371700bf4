import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { text, z } from "~/admin/form.server";
import { adminRoute } from "~/admin/route.server";
import { ActivityBanner } from "~/components/product/ActivityBanner";
import { GalleryCard } from "~/components/product/GalleryCard";
import { LightboxImagesCard } from "~/components/product/LightboxImagesCard";
import { PublishDialog } from "~/components/product/PublishDialog";
import { RevertModal } from "~/components/product/RevertModal";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { productPage, type ProductPageData } from "~/publish/product-page.server";
import { parsePublishItems } from "~/publish/publish-input";
import { requestPublish } from "~/publish/request-publish.server";
import { requestRevert } from "~/publish/request-revert.server";

// A first load shows a problem as the error page; the page's own polling (?poll=1) gets it as
// data, so the page stays and polling goes on.
export const loader = (args: LoaderFunctionArgs) =>
  adminRoute(args, { shop: "ensure", errors: "page" }, async ({ db, storage, admin, shop, params }) => {
    const page = await productPage(db, storage, admin.graphql, { shopId: shop.id, shopDomain: shop.domain, productId: params.productId ?? "" });
    return Response.json({ ...page, loadedAt: Date.now() } satisfies LoadedPage);
  });

type LoadedPage = ProductPageData & { loadedAt: number };
type PollData = LoadedPage | { error: { detail: string } };

export const action = (args: ActionFunctionArgs) =>
  adminRoute(args, { intents: { publish: z.object({ items: text() }), revert: z.object({}) } }, async ({ db, shop, params, form }) => {
    const target = { shopId: shop.id, productId: params.productId ?? "" };
    switch (form.intent) {
      case "publish": {
        const result = await requestPublish(db, { ...target, items: parsePublishItems(form.items) });
        return Response.json({ intent: "publish", jobId: result.jobId, queued: result.queued.length, alreadyInProgress: result.alreadyInProgress.length } satisfies ActionResult);
      }
      case "revert":
        return Response.json({ intent: "revert", ...(await requestRevert(db, target)) } satisfies ActionResult);
    }
  });

type ActionResult = { intent: "publish"; jobId: string | null; queued: number; alreadyInProgress: number } | { intent: "revert"; jobId: string };
type ActionData = ActionResult | { error: { detail: string } };

export default function ProductPage() {
  const loaded = useLoaderData<LoadedPage>();
  const poll = useFetcher<PollData>();
  const polled = poll.data && "loadedAt" in poll.data ? poll.data : null;
  // Whichever is newer: a poll, or the reload Remix does after an action.
  const data: LoadedPage = polled && polled.loadedAt > loaded.loadedAt ? polled : loaded;
  const pollError = poll.data && "error" in poll.data ? poll.data.error : null;
  const location = useLocation();
  const fetcher = useFetcher<ActionData>();
  const [selected, setSelected] = useState<string[]>([]);
  const [publishing, setPublishing] = useState(false);
  const [confirmRevert, setConfirmRevert] = useState(false);

  const busy =
    data.counts.queued + data.counts.processing > 0 || (data.activity !== null && (data.activity.status === "queued" || data.activity.status === "running"));
  useEffect(() => {
    if (!busy) return;
    const search = new URLSearchParams(location.search);
    search.set("poll", "1");
    const timer = setInterval(() => {
      if (poll.state === "idle") poll.load(`${location.pathname}?${search}`);
    }, 1200);
    return () => clearInterval(timer);
  }, [busy, poll, location.pathname, location.search]);

  const result = fetcher.data;
  const error = result && "error" in result ? result.error : null;
  // A request went through: close the dialogs and clear the selection (once per answer).
  const [handled, setHandled] = useState<ActionData | undefined>(undefined);
  if (result !== handled) {
    setHandled(result);
    if (result && !("error" in result)) {
      setPublishing(false);
      setConfirmRevert(false);
      setSelected([]);
    }
  }

  const toggle = (id: string) => setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  const summary = [
    data.counts.ready ? `${data.counts.ready} published` : null,
    data.counts.queued + data.counts.processing ? `${data.counts.queued + data.counts.processing} publishing` : null,
    data.counts.failed ? `${data.counts.failed} failed` : null,
  ].filter(Boolean);

  return (
    <Page
      backAction={{ content: "Products", url: "/app/products" }}
      title={data.product.title}
      titleMetadata={
        summary.length > 0 ? (
          <Badge tone={data.counts.failed ? "critical" : busy ? "attention" : "success"}>{summary.join(" · ")}</Badge>
        ) : data.snapshot?.restoredAt ? (
          <Badge>Reverted</Badge>
        ) : undefined
      }
      primaryAction={{ content: "Generate images", url: `/app/studio?productId=${encodeURIComponent(data.product.id)}` }}
      secondaryActions={[
        {
          content: "Revert to original gallery",
          disabled: !data.canRevert || fetcher.state !== "idle",
          onAction: () => setConfirmRevert(true),
          helpText: data.canRevert ? undefined : "Available after Lightbox has changed this product's images.",
        },
      ]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {error ? (
              <Banner tone="critical" title="That didn't work">
                <p>{error.detail}</p>
              </Banner>
            ) : null}
            {pollError && busy ? (
              <Banner tone="warning" title="Checking on the progress failed for a moment">
                <p>{pollError.detail} Lightbox keeps checking.</p>
              </Banner>
            ) : null}
            <ActivityBanner data={data} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <GalleryCard gallery={data.gallery} />
        </Layout.Section>
        <Layout.Section>
          <LightboxImagesCard
            productId={data.product.id}
            images={data.images}
            selected={selected}
            busy={busy}
            onToggle={toggle}
            onPublish={() => setPublishing(true)}
          />
        </Layout.Section>
      </Layout>

      {publishing ? (
        <PublishDialog
          productNumericId={data.product.numericId}
          productTitle={data.product.title}
          gallery={data.gallery}
          images={data.images.filter((image) => selected.includes(image.assetId))}
          submitting={fetcher.state !== "idle"}
          error={error?.detail ?? null}
          onClose={() => setPublishing(false)}
          onPublish={(items) => fetcher.submit({ intent: "publish", items: JSON.stringify(items) }, { method: "post" })}
        />
      ) : null}

      <RevertModal
        open={confirmRevert}
        snapshot={data.snapshot}
        submitting={fetcher.state !== "idle"}
        onClose={() => setConfirmRevert(false)}
        onRevert={() => fetcher.submit({ intent: "revert" }, { method: "post" })}
      />
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Product" what="this product" notFound="This product was not found in your store." back={{ content: "Products", url: "/app/products" }} />;
}
