import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  InlineGrid,
  InlineStack,
  Layout,
  Modal,
  Page,
  ProgressBar,
  Select,
  Text,
  TextField,
  Thumbnail,
} from "@shopify/polaris";
import { ImageIcon } from "@shopify/polaris-icons";
import { useEffect, useMemo, useRef, useState } from "react";

import { RouteErrorPage } from "~/components/RouteErrorPage";
import { db } from "~/db.server";
import { adminErrorResponse } from "~/http/errors.server";
import { productAction, type ProductActionResult } from "~/publish/product-action.server";
import { productPage, type GalleryItem, type LightboxImage, type ProductPageData } from "~/publish/product-page.server";
import { MAX_ALT_TEXT_LENGTH, type Placement } from "~/publish/publish-input";
import { authenticate } from "~/shopify.server";
import { currentShop } from "~/shops/current-shop.server";
import { ensureShop } from "~/shops/ensure-shop.server";
import { appStorage } from "~/storage/from-env.server";


export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session, admin } = await authenticate.admin(request);
  const shop = await ensureShop(db, admin.graphql, session.shop);
  try {
    const page = await productPage(db, appStorage(), admin.graphql, { shopId: shop.id, shopDomain: session.shop, productId: params.productId ?? "" });
    return Response.json({ ...page, loadedAt: Date.now() } satisfies LoadedPage);
  } catch (error) {
    // The page's own polling (?poll=1) gets a passing problem as data, so the page stays and
    // polling goes on; a first load shows the error page.
    if (new URL(request.url).searchParams.has("poll")) return adminErrorResponse(error);
    throw adminErrorResponse(error);
  }
}

type LoadedPage = ProductPageData & { loadedAt: number };
type PollData = LoadedPage | { error: { detail: string } };

export async function action({ request, params }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  try {
    const shop = await currentShop(db, session.shop);
    return Response.json(await productAction(db, { shopId: shop.id, productId: params.productId ?? "", form: await request.formData() }));
  } catch (error) {
    return adminErrorResponse(error);
  }
}

type ActionData = ProductActionResult | { error: { detail: string } };

const STATUS_BADGE: Record<string, { tone?: "success" | "attention" | "critical" | "info"; label: string }> = {
  queued: { tone: "info", label: "Waiting to publish" },
  processing: { tone: "attention", label: "Publishing" },
  ready: { tone: "success", label: "Published" },
  failed: { tone: "critical", label: "Failed" },
  reverted: { label: "Reverted" },
};

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

  const selectable = (image: LightboxImage) =>
    !image.publication || image.publication.status === "failed" || image.publication.status === "reverted" || !image.publication.onProduct;
  const toggle = (id: string) => setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  const chosen = data.images.filter((image) => selected.includes(image.assetId));

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
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  On Shopify now
                </Text>
                <Text as="span" tone="subdued">
                  {data.gallery.length === 1 ? "1 image" : `${data.gallery.length} images`}, in the order shoppers see them
                </Text>
              </InlineStack>
              {data.gallery.length === 0 ? (
                <Text as="p" tone="subdued">
                  This product has no images in Shopify yet.
                </Text>
              ) : (
                <InlineGrid columns={{ xs: 2, sm: 3, md: 5 }} gap="300">
                  {data.gallery.map((media) => (
                    <GalleryTile key={media.id} media={media} />
                  ))}
                </InlineGrid>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Lightbox images for this product
                </Text>
                <Button variant="primary" disabled={chosen.length === 0 || busy} onClick={() => setPublishing(true)}>
                  {chosen.length > 1 ? `Publish ${chosen.length} images` : "Publish selected"}
                </Button>
              </InlineStack>
              {data.images.length === 0 ? (
                <Box paddingBlock="600">
                  <BlockStack gap="300" inlineAlign="center">
                    <Text as="p" variant="headingSm">
                      No Lightbox images yet
                    </Text>
                    <Text as="p" tone="subdued">
                      Make studio and lifestyle images of this product, then publish the ones you like here.
                    </Text>
                    <Button url={`/app/studio?productId=${encodeURIComponent(data.product.id)}`}>Generate images</Button>
                  </BlockStack>
                </Box>
              ) : (
                <InlineGrid columns={{ xs: 2, sm: 3, md: 4 }} gap="300">
                  {data.images.map((image) => (
                    <ImageTile
                      key={image.assetId}
                      image={image}
                      selectable={selectable(image) && !busy}
                      selected={selected.includes(image.assetId)}
                      onToggle={() => toggle(image.assetId)}
                    />
                  ))}
                </InlineGrid>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>

      {publishing ? (
        <PublishDialog
          productNumericId={data.product.numericId}
          productTitle={data.product.title}
          gallery={data.gallery}
          images={chosen}
          submitting={fetcher.state !== "idle"}
          error={error?.detail ?? null}
          onClose={() => setPublishing(false)}
          onPublish={(items) => fetcher.submit({ intent: "publish", items: JSON.stringify(items) }, { method: "post" })}
        />
      ) : null}

      <Modal
        open={confirmRevert}
        onClose={() => setConfirmRevert(false)}
        title="Revert to the original gallery?"
        primaryAction={{
          content: "Revert",
          destructive: true,
          loading: fetcher.state !== "idle",
          onAction: () => fetcher.submit({ intent: "revert" }, { method: "post" }),
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmRevert(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="200">
            <p>
              The product gets back exactly the {data.snapshot?.mediaCount === 1 ? "image" : `${data.snapshot?.mediaCount ?? 0} images`} it had
              {data.snapshot ? ` on ${new Date(data.snapshot.takenAt).toLocaleString()}` : ""}, in the same order and with the same alt text.
            </p>
            <p>Images Lightbox added are taken off the product (they stay in your Lightbox library). Images you added in Shopify since are kept.</p>
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

function ActivityBanner({ data }: { data: ProductPageData }) {
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

function GalleryTile({ media }: { media: GalleryItem }) {
  return (
    <BlockStack gap="100">
      <div style={{ position: "relative" }}>
        {media.previewUrl ? (
          <img
            src={media.previewUrl}
            alt={media.alt || `Image ${media.position + 1}`}
            style={{ width: "100%", aspectRatio: "1", objectFit: "cover", borderRadius: 8, border: "1px solid #e3e3e3", display: "block" }}
          />
        ) : (
          <Thumbnail source={ImageIcon} alt="" size="large" />
        )}
      </div>
      <InlineStack gap="100" wrap>
        <Badge tone={media.position === 0 ? "info" : undefined}>{media.position === 0 ? "Featured" : `#${media.position + 1}`}</Badge>
        {media.fromLightbox ? <Badge tone="magic">Lightbox</Badge> : null}
        {media.status !== "READY" ? <Badge tone={media.status === "FAILED" ? "critical" : "attention"}>{media.status.toLowerCase()}</Badge> : null}
      </InlineStack>
      <Text as="p" variant="bodySm" tone={media.alt ? undefined : "subdued"}>
        {media.alt || "No alt text"}
      </Text>
      {media.error ? (
        <Text as="p" variant="bodySm" tone="critical">
          {media.error}
        </Text>
      ) : null}
    </BlockStack>
  );
}

function ImageTile({ image, selectable, selected, onToggle }: { image: LightboxImage; selectable: boolean; selected: boolean; onToggle: () => void }) {
  const publication = image.publication;
  const badge = publication ? STATUS_BADGE[publication.status] : null;
  const label = image.kind === "generated" ? "Generated" : "Upload";
  return (
    <BlockStack gap="100">
      <img
        src={image.thumbUrl}
        alt={publication?.altText || `${label} image`}
        style={{
          width: "100%",
          aspectRatio: "1",
          objectFit: "cover",
          borderRadius: 8,
          display: "block",
          outline: selected ? "3px solid #005bd3" : "1px solid #e3e3e3",
        }}
      />
      <InlineStack gap="100" wrap>
        <Badge tone={image.kind === "generated" ? "magic" : undefined}>{label}</Badge>
        {badge ? <Badge tone={badge.tone}>{publication?.status === "ready" && !publication.onProduct ? "Removed in Shopify" : badge.label}</Badge> : null}
      </InlineStack>
      {publication?.errorMessage ? (
        <Text as="p" variant="bodySm" tone={publication.status === "failed" ? "critical" : "subdued"}>
          {publication.errorMessage}
        </Text>
      ) : null}
      <Checkbox label="Select to publish" checked={selected} disabled={!selectable} onChange={onToggle} />
    </BlockStack>
  );
}

type DialogItem = { assetId: string; altText: string; placement: string };

/** Placement options: append, featured, a position, or replacing one of the product's images. */
function placementOptions(gallery: GalleryItem[]) {
  return [
    { label: "Add after the current images", value: "append" },
    { label: "Make it the featured image", value: "position:0" },
    ...gallery.slice(1).map((media) => ({ label: `Put it at position ${media.position + 1}`, value: `position:${media.position}` })),
    ...gallery.map((media) => ({
      label: `Replace image ${media.position + 1}${media.alt ? ` (${media.alt.length > 40 ? `${media.alt.slice(0, 40)}…` : media.alt})` : ""}`,
      value: `replace:${media.id}`,
    })),
  ];
}

function toPlacement(value: string): Placement {
  if (value.startsWith("position:")) return { kind: "position", position: Number(value.slice("position:".length)) };
  if (value.startsWith("replace:")) return { kind: "replace", mediaId: value.slice("replace:".length) };
  return { kind: "append" };
}

function PublishDialog(props: {
  productNumericId: string;
  productTitle: string;
  gallery: GalleryItem[];
  images: LightboxImage[];
  submitting: boolean;
  error: string | null;
  onClose: () => void;
  onPublish: (items: Array<{ assetId: string; altText: string; placement: Placement }>) => void;
}) {
  const [items, setItems] = useState<DialogItem[]>(() =>
    props.images.map((image) => ({ assetId: image.assetId, altText: image.publication?.altText ?? "", placement: "append" })),
  );
  const options = useMemo(() => placementOptions(props.gallery), [props.gallery]);
  const update = (assetId: string, patch: Partial<DialogItem>) =>
    setItems((current) => current.map((item) => (item.assetId === assetId ? { ...item, ...patch } : item)));
  const replaced = items.filter((item) => item.placement.startsWith("replace:")).map((item) => item.placement);
  const clash = replaced.length !== new Set(replaced).size;

  return (
    <Modal
      open
      onClose={props.onClose}
      title={props.images.length === 1 ? "Publish 1 image" : `Publish ${props.images.length} images`}
      primaryAction={{
        content: "Publish",
        loading: props.submitting,
        disabled: clash || items.some((item) => item.altText.trim() === ""),
        onAction: () => props.onPublish(items.map((item) => ({ assetId: item.assetId, altText: item.altText.trim(), placement: toPlacement(item.placement) }))),
      }}
      secondaryActions={[{ content: "Cancel", onAction: props.onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="400">
          {props.error ? <Banner tone="critical">{props.error}</Banner> : null}
          {clash ? <Banner tone="warning">Two images can't replace the same product image. Choose another place for one of them.</Banner> : null}
          {props.images.map((image) => {
            const item = items.find((candidate) => candidate.assetId === image.assetId)!;
            return (
              <InlineStack key={image.assetId} gap="300" blockAlign="start" wrap={false}>
                <Box minWidth="96px">
                  <Thumbnail source={image.thumbUrl} alt="" size="large" />
                </Box>
                <Box width="100%">
                  <BlockStack gap="200">
                    <AltTextField
                      productNumericId={props.productNumericId}
                      productTitle={props.productTitle}
                      assetId={image.assetId}
                      value={item.altText}
                      onChange={(altText) => update(image.assetId, { altText })}
                    />
                    <Select label="Where" options={options} value={item.placement} onChange={(placement) => update(image.assetId, { placement })} />
                  </BlockStack>
                </Box>
              </InlineStack>
            );
          })}
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

/** Alt text, pre-filled with the image provider's suggestion; the merchant can change it. */
function AltTextField(props: { productNumericId: string; productTitle: string; assetId: string; value: string; onChange: (value: string) => void }) {
  const suggestion = useFetcher<{ altText?: string; error?: { detail: string } }>();
  const { value, onChange, productNumericId, productTitle, assetId } = props;
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current || value) return;
    asked.current = true;
    suggestion.load(`/app/products/${productNumericId}/alt-text?${new URLSearchParams({ assetId, title: productTitle })}`);
  }, [value, suggestion, productNumericId, productTitle, assetId]);
  const suggested = suggestion.data?.altText;
  useEffect(() => {
    if (suggested && !value) onChange(suggested);
    // Only when a suggestion arrives; typing must not bring it back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [suggested]);
  const loading = suggestion.state !== "idle" && !value;
  return (
    <TextField
      label="Alt text"
      value={value}
      onChange={onChange}
      multiline={2}
      maxLength={MAX_ALT_TEXT_LENGTH}
      autoComplete="off"
      placeholder={loading ? "Writing a description…" : "Describe the image for shoppers who can't see it"}
      helpText={suggestion.data?.error ? `No suggestion: ${suggestion.data.error.detail}` : "Read by screen readers and search engines. Suggested by Lightbox; edit it as you like."}
      error={!loading && value.trim() === "" && suggestion.state === "idle" && suggestion.data ? "Alt text is required." : undefined}
    />
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Product" what="this product" notFound="This product was not found in your store." back={{ content: "Products", url: "/app/products" }} />;
}
